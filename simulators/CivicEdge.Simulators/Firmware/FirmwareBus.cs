using CivicEdge.Modbus;

namespace CivicEdge.Simulators.Firmware;

/// <summary>
/// Virtual firmware devices on one bus, each at its own unit, following a script. <see cref="Update"/> applies the
/// script's due steps and runs every device's firmware up to the present; a host calls it a few times a second.
/// </summary>
public sealed class FirmwareBus
{
    private readonly DeviceScript _script;
    private readonly DateTimeOffset _start;
    private int _nextStep;

    public FirmwareBus(IReadOnlyList<IFirmwareDevice> devices, byte firstUnit, DeviceScript script, DateTimeOffset start)
    {
        ArgumentNullException.ThrowIfNull(devices);
        if (devices.Count == 0 || firstUnit < 1 || firstUnit + devices.Count - 1 > 247)
            throw new ArgumentException($"Expected 1 or more devices at units within 1..247; found {devices.Count} from unit {firstUnit}.", nameof(devices));
        Devices = devices;
        FirstUnit = firstUnit;
        _script = script;
        _start = start;
    }

    public IReadOnlyList<IFirmwareDevice> Devices { get; }

    public byte FirstUnit { get; }

    /// <summary>The banks to serve, by unit.</summary>
    public Dictionary<byte, RegisterBank> Units() =>
        Devices.Select((device, i) => (Unit: (byte)(FirstUnit + i), device.Bank)).ToDictionary(d => d.Unit, d => d.Bank);

    /// <summary>Applies the steps due by <paramref name="now"/> and runs the devices up to it.</summary>
    public void Update(DateTimeOffset now)
    {
        while (_nextStep < _script.Steps.Count && _start + _script.Steps[_nextStep].At <= now)
        {
            var step = _script.Steps[_nextStep++];
            var at = _start + step.At;
            for (int i = 0; i < Devices.Count; i++)
            {
                if (!step.Covers(i + 1))
                    continue;
                Devices[i].Update(at);
                var error = Devices[i].Apply(step.Action, step.Argument);
                if (error is not null)
                    throw new InvalidOperationException($"Device {i + 1} refused script step '{step.Action} {step.Argument}': {error}");
            }
        }

        foreach (var device in Devices)
            device.Update(now);
    }
}
