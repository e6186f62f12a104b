using BenchmarkDotNet.Attributes;
using CivicEdge.Firmware.Core.Hal;
using CivicEdge.Firmware.Core.Json;
using CivicEdge.Firmware.Core.Uplink;

namespace CivicEdge.Benchmarks;

/// <summary>
/// The firmware's device uplink on the host build: a reading of three points encoded into the outbox (the work a pole
/// does every few seconds, which must allocate nothing on an 80 KB heap), and one pass of the main loop that builds and
/// publishes a batch of ten records (one array per message is the link's form of a payload). The figures are the host
/// JIT's; a device's interpreter is some hundred times slower, so they bound the share of the loop the uplink takes.
/// </summary>
[MemoryDiagnoser]
[ShortRunJob]
public class DeviceUplinkBenchmarks
{
    private readonly ManualClock _clock = new();
    private readonly JsonWriter _writer = new(64, 2);
    private DeviceUplink _offline = null!;
    private DeviceUplink _online = null!;

    [GlobalSetup]
    public void Setup()
    {
        _offline = Uplink(new RefusingLink());
        _online = Uplink(new AcceptingLink());
        for (var i = 0; i < 10; i++)
            _online.ReportPoint("lamp_current", 0.43 + (i / 100.0), "A", "current", PointQuality.Good);
    }

    [Benchmark(Description = "Firmware uplink: one reading of 3 points encoded into the outbox")]
    public long Reading()
    {
        _offline.BeginReading(billing: false);
        _offline.AddPoint("lamp_current", 0.43, "A", "current", PointQuality.Good);
        _offline.AddPoint("supply_voltage", 229.87, "V", "voltage", PointQuality.Good);
        _offline.AddPoint("dimming_level", 40, "%", "ratio", PointQuality.Good);
        return _offline.EndReading();
    }

    [Benchmark(Description = "Firmware uplink: main-loop pass publishing a batch of 10 records")]
    public void Batch()
    {
        // Each pass finds the previous batch unacknowledged past its timeout and sends the ten records again.
        _clock.Advance(2);
        _online.Poll();
    }

    [Benchmark(Description = "Firmware JSON: one double written (15 significant digits)")]
    public int Number()
    {
        _writer.Reset();
        _writer.Number(229.87123);
        return _writer.Length;
    }

    private DeviceUplink Uplink(INetworkLink link)
    {
        var options = new UplinkOptions("POLE-BENCH", "POLE-BENCH", "secret", "1.0.0")
        {
            TelemetryRecords = 10,
            AckTimeoutMilliseconds = 1,
            CheckpointIntervalMilliseconds = int.MaxValue,
            HealthIntervalMilliseconds = int.MaxValue,
        };
        return new DeviceUplink(options, link, _clock, new DiscardingStorage(), ResetCause.PowerOn, null!);
    }

    private sealed class ManualClock : IClock
    {
        private long _uptime;

        public DateTime UtcNow => new DateTime(2026, 11, 29, 1, 0, 0, DateTimeKind.Utc).AddMilliseconds(_uptime);

        public bool IsSynchronized => true;

        public long UptimeMilliseconds => _uptime;

        public void Set(DateTime utcNow)
        {
        }

        public void Advance(long milliseconds) => _uptime += milliseconds;
    }

    private sealed class DiscardingStorage : ISettingsStorage
    {
        public byte[]? Read(string slot) => null;

        public void Write(string slot, byte[] data)
        {
        }

        public void Erase(string slot)
        {
        }
    }

    private sealed class RefusingLink : INetworkLink
    {
        public bool IsConnected => false;

        public bool Connect(string clientId, string userName, string password, string willTopic, byte[] willPayload) => false;

        public bool Publish(string topic, byte[] payload, bool retain) => false;

        public bool Subscribe(string topicFilter, IMessageReceiver receiver) => false;

        public void Disconnect()
        {
        }
    }

    private sealed class AcceptingLink : INetworkLink
    {
        public bool IsConnected { get; private set; }

        public bool Connect(string clientId, string userName, string password, string willTopic, byte[] willPayload) => IsConnected = true;

        public bool Publish(string topic, byte[] payload, bool retain) => true;

        public bool Subscribe(string topicFilter, IMessageReceiver receiver) => true;

        public void Disconnect() => IsConnected = false;
    }
}
