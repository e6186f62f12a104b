namespace CivicEdge.Simulators.Devices;

/// <summary>
/// The physics of a simulated device: values that change with time, named like the points of a hardware profile.
/// A model knows nothing about protocols; <see cref="ProfileRegisterMap"/> puts its values where a profile says.
/// </summary>
public interface IDeviceModel
{
    /// <summary>Advances the model to the present time of its clock.</summary>
    void Update();

    /// <summary>The present value of <paramref name="point"/> in the point's unit; false when the model has no such point.</summary>
    bool TryGetValue(string point, out double value);
}
