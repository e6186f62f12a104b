using BenchmarkDotNet.Attributes;
using CivicEdge.Firmware.Core.Hal;
using CivicEdge.Firmware.Host;
using CivicEdge.Firmware.Pole;
using CivicEdge.Firmware.Pole.Settings;
using Microsoft.Extensions.Time.Testing;

namespace CivicEdge.Benchmarks;

/// <summary>
/// One main-loop pass of the pole controller's host build at night (lamp lit, 5 mains cycles sampled at ~42 pairs a
/// cycle, counters, diagnostics, Modbus slave), with and without a gateway's poll of the ten input registers; and what
/// building the controller allocates, which is about what it keeps for its lifetime. The figures behind the steady-state
/// allocation line in firmware/README.md.
/// </summary>
[MemoryDiagnoser]
[ShortRunJob]
public class PoleControllerPassBenchmarks
{
    private static readonly byte[] ReadInputRegisters = [0x01, 0x04, 0x00, 0x00, 0x00, 0x0A, 0x70, 0x0D];

    private FakeTimeProvider _time = null!;
    private MemorySettingsStorage _storage = null!;
    private PoleHardware _hardware = null!;
    private SimulatedClock _clock = null!;
    private PollingGateway _gateway = null!;
    private PoleController _controller = null!;

    [GlobalSetup]
    public void Setup()
    {
        _time = new FakeTimeProvider(new DateTimeOffset(2025, 3, 20, 20, 0, 0, TimeSpan.Zero));
        _storage = new MemorySettingsStorage();
        new PoleSettingsStore(_storage).Save(new PoleSettings { MinimumOffSeconds = 0, RampSeconds = 0 });
        var relay = new SimulatedDigitalOutput();
        var mains = new Mains(relay);
        _gateway = new PollingGateway();
        _hardware = new PoleHardware(relay, new SimulatedPwmOutput(), new SimulatedAnalogInput(mains.VoltagePin), new SimulatedAnalogInput(mains.CurrentPin))
        {
            DoorContact = new SimulatedDigitalInput(),
            TiltSwitch = new SimulatedDigitalInput(),
            DriverThermistor = new SimulatedAnalogInput(() => 1.2),
            FieldBus = _gateway,
        };
        _clock = new SimulatedClock(_time);
        _controller = new PoleController(_hardware, _clock, _storage);

        // Past the first hour's counter save and the ignition delay: the steady state of a burning lamp.
        for (var i = 0; i < 300; i++)
            Pass();
    }

    [Benchmark(Description = "pole controller: one main-loop pass, lamp lit")]
    public void Pass()
    {
        _time.Advance(TimeSpan.FromMilliseconds(250));
        _controller.Step();
    }

    [Benchmark(Description = "pole controller: one pass answering a gateway's read of 10 input registers")]
    public void PassWithPoll()
    {
        _gateway.Ask(ReadInputRegisters);
        _time.Advance(TimeSpan.FromMilliseconds(250));
        _controller.Step();
    }

    [Benchmark(Description = "pole controller: boot (what the controller keeps for its lifetime)")]
    public PoleController Boot() => new(_hardware, _clock, _storage);

    /// <summary>A 230 V / 50 Hz supply and a 100 W lamp at power factor 0.95, one sample pair per voltage conversion.</summary>
    private sealed class Mains(IDigitalOutput relay)
    {
        private const double SamplesPerCycle = 41.66;
        private long _sample;

        public double VoltagePin() => 1.65 + (1.273 * Math.Sin(2 * Math.PI * ++_sample / SamplesPerCycle));

        public double CurrentPin() => 1.65 + (relay.State ? 0.647 * Math.Sin((2 * Math.PI * _sample / SamplesPerCycle) - 0.3176) : 0);
    }

    /// <summary>The RS-485 line with a gateway that sends one request when asked and takes whatever comes back.</summary>
    private sealed class PollingGateway : ISerialLink
    {
        private byte[]? _pending;

        public int BaudRate => 9600;

        public void Ask(byte[] request) => _pending = request;

        public int Read(byte[] buffer, int offset, int count, int timeoutMilliseconds)
        {
            if (_pending is null)
                return 0;
            Array.Copy(_pending, 0, buffer, offset, _pending.Length);
            var length = _pending.Length;
            _pending = null;
            return length;
        }

        public void Write(byte[] buffer, int offset, int count)
        {
        }

        public void DiscardInput() => _pending = null;
    }
}
