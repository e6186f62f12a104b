namespace CivicEdge.Simulators.Devices;

/// <summary>A device model that a master controls through the profile's writable points: a relay, a dimming level.</summary>
public interface IControlledDeviceModel : IDeviceModel
{
    /// <summary>Tells the model the present value of writable <paramref name="point"/>, as a master last set it.</summary>
    void Control(string point, double value);
}
