using System.Globalization;
using CivicEdge.Firmware.Host;
using CivicEdge.Firmware.MeterNode;
using CivicEdge.Modbus;

namespace CivicEdge.Simulators.Firmware;

/// <summary>
/// A meter node running its firmware's host build beside a simulated meter: water flows through the meter at the
/// scripted rate (negative for reverse flow), turning a dial whose magnet passes the node's two reed contacts a quarter
/// turn apart; a magnet can be held to the head and the sensor cable cut. Every quarter turn happens at its own
/// instant of the device's time, so the firmware debounces and decodes it as on a real meter.
/// </summary>
public sealed class MeterNodeDevice : IFirmwareDevice
{
    public const string ModelKey = "civicedge-meter-node";

    // Contact states of a forward turn, A closed as the high bit: 00 → 10 → 11 → 01.
    private static readonly int[] Sequence = [0b00, 0b10, 0b11, 0b01];

    private readonly Lock _firmware = new();
    private readonly DeviceTimeProvider _time;
    private readonly FirmwareRegisterMirror _mirror;
    private readonly SimulatedDigitalInput _contactA = new(level: true);
    private readonly SimulatedDigitalInput _contactB = new(level: true);
    private readonly SimulatedDigitalInput _tamperReed = new(level: true);
    private readonly SimulatedDigitalInput _cableLoop = new(level: false);
    private readonly TimeSpan _settle;
    private DateTimeOffset _last;
    private double _quarterDebt;
    private int _phase;

    public MeterNodeDevice(DateTimeOffset start, int pulseWeightMillilitres = 1000, string meterNumber = "")
    {
        _time = new DeviceTimeProvider(start);
        _last = start;
        Configuration = new MeterNodeConfiguration { PulseWeightMillilitres = pulseWeightMillilitres, MeterNumber = meterNumber };
        _settle = TimeSpan.FromMilliseconds(Configuration.DebounceMilliseconds + 1);
        Node = new MeterNode(Configuration, new SimulatedClock(_time), Storage, _contactA, _contactB, _tamperReed, _cableLoop);
        Node.Start();
        _mirror = new FirmwareRegisterMirror(Node.Registers, MeterRegisterMap.Length, _firmware);
        _mirror.Refresh();
    }

    public string Model => ModelKey;

    public IReadOnlyList<string> Actions { get; } = ["flow", "reverse", "magnet", "cable"];

    public MeterNodeConfiguration Configuration { get; }

    public MeterNode Node { get; }

    /// <summary>The node's flash; keeps the journal across a simulated power cycle.</summary>
    public MemorySettingsStorage Storage { get; } = new();

    public RegisterBank Bank => _mirror.Bank;

    /// <summary>Flow through the meter in litres per hour; negative while the water flows backwards.</summary>
    public double FlowLitresPerHour { get; set; }

    public void Update(DateTimeOffset now)
    {
        lock (_firmware)
        {
            if (now <= _last)
                return;
            var elapsed = now - _last;
            double quartersPerSecond = Math.Abs(FlowLitresPerHour) / 3600.0 / (Node.State.PulseWeightMillilitres / 1000.0) * 4;
            _quarterDebt += elapsed.TotalSeconds * quartersPerSecond;
            int quarters = (int)_quarterDebt;
            _quarterDebt -= quarters;
            int direction = FlowLitresPerHour < 0 ? -1 : 1;
            for (int i = 1; i <= quarters; i++)
            {
                var at = _last + (elapsed * i / quarters);
                _time.MoveTo(at - _settle);
                _phase = (_phase + direction + 4) % 4;
                _contactA.Level = (Sequence[_phase] & 0b10) == 0;
                _contactB.Level = (Sequence[_phase] & 0b01) == 0;
                Node.Poll();
                _time.MoveTo(at);
                Node.Poll();
            }

            // Two passes a debounce time apart, so a contact the script changed (magnet, cable) is believed by now.
            _time.MoveTo(now - _settle);
            Node.Poll();
            _time.MoveTo(now);
            Node.Poll();
            _last = now;
            _mirror.Refresh();
        }
    }

    public string? Apply(string action, string? argument)
    {
        lock (_firmware)
        {
            switch (action)
            {
                case "flow" or "reverse":
                    if (!double.TryParse(argument, NumberStyles.Float, CultureInfo.InvariantCulture, out var rate) || !double.IsFinite(rate) || Math.Abs(rate) > 100_000)
                        return $"{action}: expected litres per hour, -100000..100000, e.g. {action} 600; found '{argument}'";
                    FlowLitresPerHour = action == "reverse" ? -Math.Abs(rate) : rate;
                    return null;
                case "magnet":
                    return OnOff(argument, "magnet", "on", "off", on => _tamperReed.Level = !on);
                case "cable":
                    return OnOff(argument, "cable", "cut", "ok", cut => _cableLoop.Level = cut);
                default:
                    return $"expected one of {string.Join(", ", Actions)}; found '{action}'";
            }
        }
    }

    private static string? OnOff(string? argument, string action, string yes, string no, Action<bool> set)
    {
        if (argument == yes || argument == no)
        {
            set(argument == yes);
            return null;
        }

        return $"{action}: expected {yes} or {no}; found '{argument}'";
    }
}
