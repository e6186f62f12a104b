using System.Globalization;
using CivicEdge.Firmware.Host;
using CivicEdge.Firmware.Pole;
using CivicEdge.Firmware.Pole.Modbus;
using CivicEdge.Firmware.Pole.Settings;
using CivicEdge.Modbus;
using CivicEdge.Protocols.Modbus;

namespace CivicEdge.Simulators.Firmware;

/// <summary>
/// A street pole running the pole controller firmware's host build: a luminaire whose current and power follow the
/// relay and the 0–10 V dimming output, the mains it hangs on, the driver's NTC thermistor, the service door's contact
/// a LIS3DH accelerometer and, if fitted, a photocell. The controller answers a gateway with the SLC-1 register map
/// (hardware/profiles/civicedge-slc1.yaml). The main loop runs every 250 ms of the device's time, as on the board.
/// </summary>
public sealed class PoleControllerDevice : IFirmwareDevice
{
    public const string ModelKey = "civicedge-slc1";

    /// <summary>How long the pole has been running when the simulation starts: past the relay's minimum off time and the lamp's ignition delay, so a lamp that should burn does.</summary>
    public static readonly TimeSpan RunningBeforeStart = TimeSpan.FromMinutes(3);

    private static readonly TimeSpan Pass = TimeSpan.FromMilliseconds(250);

    // Coil 0, holding 0 and 0x0100–0x010B, input 0–9: the whole SLC-1 map.
    private static readonly MirroredRange[] Slc1Map =
    [
        new(RegisterTable.Coils, 0, 1),
        new(RegisterTable.HoldingRegisters, 0, 1),
        new(RegisterTable.HoldingRegisters, 0x0100, 12),
        new(RegisterTable.InputRegisters, 0, 10),
    ];

    private readonly Lock _firmware = new();
    private readonly DeviceTimeProvider _time;
    private readonly DataModelMirror _mirror;
    private readonly SimulatedDigitalOutput _relay = new();
    private readonly SimulatedPwmOutput _dimming = new();
    private readonly SimulatedDigitalInput _door = new();
    private readonly SimulatedLis3dh _accelerometer = new();
    private readonly SimulatedDigitalInput? _photocell;
    private DateTimeOffset _last;

    /// <param name="start">When the simulation starts; the pole boots <see cref="RunningBeforeStart"/> earlier.</param>
    /// <param name="settings">The controller's settings (location, serial number, …), stored as at commissioning.</param>
    /// <param name="photocellDark">Null: the pole has no photocell; else one is fitted and sees dark (true) or light.</param>
    public PoleControllerDevice(DateTimeOffset start, PoleSettings settings, bool? photocellDark = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var boot = start - RunningBeforeStart;
        _time = new DeviceTimeProvider(boot);
        _last = boot;
        if (new PoleSettingsStore(Storage).Save(settings) is { } problem)
            throw new ArgumentException($"Pole settings: {problem}", nameof(settings));

        // The board's true scales are the defaults; other factors in the settings calibrate against them.
        var truth = new PoleSettings();
        if (photocellDark is { } dark)
            _photocell = new SimulatedDigitalInput(dark);
        Lamp = new SimulatedLamp(_relay, _dimming, truth.VoltageScale, truth.CurrentScale);
        var hardware = new PoleHardware(_relay, _dimming, Lamp.MainsVoltage, Lamp.LampCurrent)
        {
            DoorContact = _door,
            Accelerometer = _accelerometer,
            DriverThermistor = new SimulatedAnalogInput(ThermistorPin),
            Photocell = _photocell,
        };
        Controller = new PoleController(hardware, new SimulatedClock(_time), Storage);
        _mirror = new DataModelMirror(new Slc1DataModel(Controller), Slc1Map, _firmware);
        DataModel = new LockedDataModel(new Slc1DataModel(Controller), _firmware);
        Update(start);
    }

    public string Model => ModelKey;

    public IReadOnlyList<string> Actions { get; } = ["lamp-fail", "lamp-repair", "door", "tilt", "mains", "temperature", "photocell"];

    public PoleController Controller { get; }

    /// <summary>The luminaire on the controller's relay and dimming output.</summary>
    public SimulatedLamp Lamp { get; }

    /// <summary>The controller's flash: settings and the counter journal.</summary>
    public MemorySettingsStorage Storage { get; } = new();

    /// <summary>Driver temperature the thermistor shows, °C.</summary>
    public double DriverCelsius { get; private set; } = 40;

    public RegisterBank Bank => _mirror.Bank;

    /// <summary>The SLC-1 tables straight from the firmware, for the firmware's own Modbus slave (an updatable pole).</summary>
    public CivicEdge.Firmware.Core.Modbus.IModbusDataModel DataModel { get; }

    /// <summary>Writes of the gateway the firmware refused.</summary>
    public long RefusedWrites => _mirror.RefusedWrites;

    public void Update(DateTimeOffset now)
    {
        lock (_firmware)
        {
            if (now <= _last)
                return;
            while (_last + Pass <= now)
            {
                _last += Pass;
                _time.MoveTo(_last);
                Controller.Step();
            }

            _mirror.Refresh();
        }
    }

    public string? Apply(string action, string? argument)
    {
        lock (_firmware)
        {
            switch (action)
            {
                case "lamp-fail" or "lamp-repair":
                    if (argument is not null)
                        return $"{action}: expected no argument; found '{argument}'";
                    Lamp.Failed = action == "lamp-fail";
                    return null;
                case "door":
                    if (argument is not ("open" or "closed" or "close"))
                        return $"door: expected open or closed; found '{argument}'";
                    _door.Level = argument == "open";
                    return null;
                case "tilt":
                    if (!TryNumber(argument, 0, 90, out var degrees))
                        return $"tilt: expected degrees from vertical, 0..90, e.g. tilt 12; found '{argument}'";
                    _accelerometer.Lean(degrees);
                    return null;
                case "mains":
                    if (!TryNumber(argument, 0, 300, out var volts))
                        return $"mains: expected the supply in volts RMS, 0..300, e.g. mains 190; found '{argument}'";
                    Lamp.SupplyVolts = volts;
                    return null;
                case "temperature":
                    if (!TryNumber(argument, -40, 125, out var celsius))
                        return $"temperature: expected the driver's temperature in °C, -40..125, e.g. temperature 95; found '{argument}'";
                    DriverCelsius = celsius;
                    return null;
                case "photocell":
                    if (_photocell is null)
                        return "photocell: this pole has no photocell (civicsim --photocell fits one)";
                    if (argument is not ("dark" or "light"))
                        return $"photocell: expected dark or light; found '{argument}'";
                    _photocell.Level = argument == "dark";
                    return null;
                default:
                    return $"expected one of {string.Join(", ", Actions)}; found '{action}'";
            }
        }
    }

    private static bool TryNumber(string? text, double min, double max, out double value) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && value >= min && value <= max;

    /// <summary>The thermistor pin: 10 kΩ NTC (B 3950) to ground under a 10 kΩ resistor from 3.3 V, as on the board.</summary>
    private double ThermistorPin()
    {
        var kelvin = DriverCelsius + 273.15;
        var ohms = 10000 * Math.Exp(3950 * ((1 / kelvin) - (1 / 298.15)));
        return 3.3 * ohms / (ohms + 10000);
    }
}
