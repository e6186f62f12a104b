namespace CivicEdge.Simulators.Devices;

/// <summary>A device model whose points can be pinned to fixed values, e.g. by <c>civicsim --set</c>.</summary>
public interface IPinnableDeviceModel : IDeviceModel
{
    /// <summary>Makes <paramref name="point"/> report <paramref name="value"/> from now on, whatever the model says.</summary>
    void Pin(string point, double value);

    /// <summary>Lets <paramref name="point"/> follow the model again; false when it was not pinned.</summary>
    bool Unpin(string point);
}
