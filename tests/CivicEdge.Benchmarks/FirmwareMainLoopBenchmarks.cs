using BenchmarkDotNet.Attributes;
using CivicEdge.Firmware.Environment;
using CivicEdge.Firmware.Host;
using CivicEdge.Firmware.MeterNode;
using Microsoft.Extensions.Time.Testing;

namespace CivicEdge.Benchmarks;

/// <summary>
/// One main-loop pass of each firmware application in steady state, for the heap budget of an ESP32 (about 80 KB of
/// managed heap under nanoFramework): allocations per pass must be zero or the garbage collector runs on a schedule
/// of its own. The meter node's pass either finds the dial at rest or decodes a quarter turn (every tenth pulse writes
/// the journal); the environment station's pass reads four transmitters and, once a minute, closes the window.
/// </summary>
[MemoryDiagnoser]
[ShortRunJob]
public class FirmwareMainLoopBenchmarks
{
    private static readonly int[] Sequence = [0b00, 0b10, 0b11, 0b01];

    private readonly FakeTimeProvider _meterTime = new();
    private readonly FakeTimeProvider _stationTime = new();
    private readonly SimulatedDigitalInput _contactA = new(level: true);
    private readonly SimulatedDigitalInput _contactB = new(level: true);
    private MeterNode _node = null!;
    private EnvironmentStation _station = null!;
    private int _phase;

    private static SensorRegisterFiles Bus { get; } = new();

    [GlobalSetup]
    public void Setup()
    {
        _node = new MeterNode(new MeterNodeConfiguration(), new SimulatedClock(_meterTime), new FlashSlots(), _contactA, _contactB,
            new SimulatedDigitalInput(level: true), new SimulatedDigitalInput(level: false));
        _node.Start();

        _station = new EnvironmentStation(new EnvironmentStationConfiguration { SampleIntervalMilliseconds = 10_000, WindowSeconds = 60 },
            new SimulatedClock(_stationTime), Bus);
        _station.AddSensor(SensorModel.WeatherShutter, 1);
        _station.AddSensor(SensorModel.TemperatureHumidity, 2);
        _station.AddSensor(SensorModel.Particulates, 3);
        _station.AddSensor(SensorModel.Noise, 4);
        _station.Start();
    }

    [Benchmark(Description = "meter node: everything it holds, made and started (first boot)")]
    public MeterNode MeterNodeStart()
    {
        var node = new MeterNode(new MeterNodeConfiguration(), new SimulatedClock(_meterTime), new FlashSlots(), _contactA, _contactB,
            _contactA, _contactB);
        node.Start();
        return node;
    }

    [Benchmark(Description = "environment station: everything it holds with four transmitters, made and started")]
    public EnvironmentStation EnvironmentStationStart()
    {
        var station = new EnvironmentStation(new EnvironmentStationConfiguration(), new SimulatedClock(_stationTime), Bus);
        station.AddSensor(SensorModel.WeatherShutter, 1);
        station.AddSensor(SensorModel.TemperatureHumidity, 2);
        station.AddSensor(SensorModel.Particulates, 3);
        station.AddSensor(SensorModel.Noise, 4);
        station.Start();
        return station;
    }

    [Benchmark(Description = "meter node: one pass, dial at rest")]
    public void MeterNodeAtRest()
    {
        _meterTime.Advance(TimeSpan.FromMilliseconds(1));
        _node.Poll();
    }

    [Benchmark(Description = "meter node: a quarter turn decoded (two passes)")]
    public void MeterNodeQuarterTurn()
    {
        _phase = (_phase + 1) % 4;
        _contactA.Level = (Sequence[_phase] & 0b10) == 0;
        _contactB.Level = (Sequence[_phase] & 0b01) == 0;
        _node.Poll();
        _meterTime.Advance(TimeSpan.FromMilliseconds(6));
        _node.Poll();
    }

    [Benchmark(Description = "environment station: one sampling pass of four transmitters")]
    public void EnvironmentStationSample()
    {
        _stationTime.Advance(TimeSpan.FromSeconds(10));
        _station.Poll();
    }

    /// <summary>The station's bus: each transmitter a register file with datasheet-plausible values.</summary>
    private sealed class SensorRegisterFiles : IRegisterReader
    {
        private static readonly ushort[] Shutter = [34, 3, 5, 225, 552, 215, 584, 35, 61, 1013];
        private static readonly ushort[] Thermometer = [658, 0xFF9B];
        private static readonly ushort[] Particulates = [35, 0, 0, 0, 0, 61];
        private static readonly ushort[] Noise = [584];

        public bool TryReadHoldingRegisters(int unit, int address, int count, ushort[] into)
        {
            var source = unit switch { 1 => Shutter, 2 => Thermometer, 3 => Particulates, _ => Noise };
            Array.Copy(source, into, count);
            return true;
        }
    }
}
