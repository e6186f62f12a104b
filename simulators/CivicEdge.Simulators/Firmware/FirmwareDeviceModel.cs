using CivicEdge.Hardware;
using CivicEdge.Simulators.Devices;

namespace CivicEdge.Simulators.Firmware;

/// <summary>
/// A device model whose values come from firmware running on simulated hardware, read from the firmware's own registers
/// through the profile that describes them: <c>civicsim modbus --profile civicedge-meter-node</c> serves what the
/// firmware computes, and any difference between the firmware's register map and its profile shows as wrong values.
/// </summary>
public sealed class FirmwareDeviceModel : IPinnableDeviceModel
{
    private readonly IFirmwareDevice _device;
    private readonly TimeProvider _timeProvider;
    private readonly Dictionary<string, PointDefinition> _points;
    private readonly Dictionary<string, double> _pins = new(StringComparer.Ordinal);

    public FirmwareDeviceModel(IFirmwareDevice device, DeviceProfile profile, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(device);
        ArgumentNullException.ThrowIfNull(profile);
        _device = device;
        _timeProvider = timeProvider;
        _points = profile.Points.Where(p => !p.IsText).ToDictionary(p => p.Name, StringComparer.Ordinal);
    }

    public IFirmwareDevice Device => _device;

    public void Update() => _device.Update(_timeProvider.GetUtcNow());

    public bool TryGetValue(string point, out double value)
    {
        if (_pins.TryGetValue(point, out value))
            return true;
        value = 0;
        return _points.TryGetValue(point, out var definition) && ProfileRegisterMap.TryRead(definition, _device.Bank, out value);
    }

    public void Pin(string point, double value) => _pins[point] = value;

    public bool Unpin(string point) => _pins.Remove(point);
}
