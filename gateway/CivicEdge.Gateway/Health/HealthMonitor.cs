using System.Diagnostics;
using CivicEdge.Fleet.Contracts;
using CivicEdge.Gateway.Acquisition;
using CivicEdge.Gateway.Configuration;
using CivicEdge.Gateway.Storage;
using CivicEdge.Gateway.Twin;
using CivicEdge.Gateway.Uplink;

namespace CivicEdge.Gateway.Health;

/// <summary>
/// Makes the gateway's <see cref="HealthReport"/>: uptime, CPU and memory of the process, free space where the
/// database lives, every outbox stream, the uplink and a verdict per field device (<see cref="VerdictRules"/> over
/// <see cref="CounterWindow"/>). The periodic report, <c>GET /status</c> and <c>/metrics</c> all read it.
/// </summary>
public sealed class HealthMonitor
{
    /// <summary>The streams reported, in the order of the outbox's priority policy (kept longest last).</summary>
    public static readonly IReadOnlyList<string> ReportedStreams = [Streams.Telemetry, Streams.Billing, Streams.Events];

    private readonly string _gatewayId;
    private readonly string _softwareVersion;
    private readonly HealthOptions _options;
    private readonly AcquisitionService _acquisition;
    private readonly Outbox _outbox;
    private readonly UplinkMonitor _uplink;
    private readonly StorageHealth _storage;
    private readonly TwinService _twin;
    private readonly TimeProvider _timeProvider;
    private readonly CounterWindow _window;
    private readonly long _started;
    private readonly Lock _gate = new();
    private (long Timestamp, TimeSpan Cpu) _lastCpu;
    private (long Timestamp, HealthReport Report)? _latest;

    public HealthMonitor(
        string gatewayId,
        string softwareVersion,
        HealthOptions options,
        AcquisitionService acquisition,
        Outbox outbox,
        UplinkMonitor uplink,
        StorageHealth storage,
        TwinService twin,
        TimeProvider timeProvider)
    {
        _gatewayId = gatewayId;
        _softwareVersion = softwareVersion;
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _acquisition = acquisition ?? throw new ArgumentNullException(nameof(acquisition));
        _outbox = outbox ?? throw new ArgumentNullException(nameof(outbox));
        _uplink = uplink ?? throw new ArgumentNullException(nameof(uplink));
        _storage = storage ?? throw new ArgumentNullException(nameof(storage));
        _twin = twin ?? throw new ArgumentNullException(nameof(twin));
        _timeProvider = timeProvider ?? throw new ArgumentNullException(nameof(timeProvider));
        _window = new CounterWindow(options.Window);
        _started = timeProvider.GetTimestamp();
        _lastCpu = (_started, Process.GetCurrentProcess().TotalProcessorTime);
    }

    /// <summary>A fresh report.</summary>
    public HealthReport Report()
    {
        lock (_gate)
        {
            var report = Build();
            _latest = (_timeProvider.GetTimestamp(), report);
            return report;
        }
    }

    /// <summary>The latest report if it is younger than <paramref name="maxAge"/>, else a fresh one: one scrape reads one report.</summary>
    public HealthReport Latest(TimeSpan maxAge)
    {
        lock (_gate)
        {
            return _latest is { } latest && _timeProvider.GetElapsedTime(latest.Timestamp) <= maxAge ? latest.Report : Report();
        }
    }

    private HealthReport Build()
    {
        var now = _timeProvider.GetUtcNow();
        return new HealthReport(
            _gatewayId,
            _softwareVersion,
            now,
            _timeProvider.GetElapsedTime(_started).TotalSeconds,
            _twin.Origin,
            _twin.AppliedVersion,
            ProcessNow(),
            Disk(),
            [.. ReportedStreams.Select(stream => Stream(stream, now))],
            _uplink.Health,
            Devices(now));
    }

    private ProcessHealth ProcessNow()
    {
        using var process = Process.GetCurrentProcess();
        var cpu = process.TotalProcessorTime;
        var timestamp = _timeProvider.GetTimestamp();
        var wall = _timeProvider.GetElapsedTime(_lastCpu.Timestamp, timestamp);
        var percent = wall > TimeSpan.Zero ? (cpu - _lastCpu.Cpu) / wall * 100 : 0;
        _lastCpu = (timestamp, cpu);
        return new ProcessHealth(Math.Round(percent, 1), cpu.TotalSeconds, process.WorkingSet64, GC.GetTotalMemory(forceFullCollection: false));
    }

    private DiskHealth Disk()
    {
        var path = _outbox.Path;
        var storage = _storage.Snapshot();
        var condition = storage.Condition switch
        {
            StorageCondition.DiskFull => DiskCondition.DiskFull,
            StorageCondition.WriteFailing => DiskCondition.WriteFailing,
            _ => DiskCondition.Healthy,
        };
        try
        {
            var drive = new DriveInfo(System.IO.Path.GetDirectoryName(path)!);
            return new DiskHealth(path, drive.AvailableFreeSpace, drive.TotalSize, condition, storage.Since, storage.LastError, storage.Buffered);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException)
        {
            return new DiskHealth(path, null, null, condition, storage.Since, storage.LastError, storage.Buffered);
        }
    }

    private OutboxHealth Stream(string stream, DateTimeOffset now)
    {
        var status = _outbox.Status(stream);
        var age = status.OldestTimestamp is { } oldest ? Math.Max(0, (now - oldest).TotalSeconds) : (double?)null;

        // Records leave the outbox only when the fleet persisted them or refused them (into the quarantine).
        var delivered = Math.Max(0, status.LastSeq - status.Depth - status.Quarantined - status.Dropped);
        return new OutboxHealth(stream, status.Depth, age, status.LastSeq, delivered, status.Quarantined, status.Dropped);
    }

    private List<DeviceHealth> Devices(DateTimeOffset now)
    {
        var counters = _acquisition.Snapshot();
        var baselines = _window.Add(now, counters);
        return [.. counters.Select(c =>
        {
            var (baseline, window) = baselines.TryGetValue(c.DeviceId, out var b) ? (b.Counters, now - b.At) : ((DeviceCounters?)null, _window.Window);
            var (verdict, reasons) = VerdictRules.Judge(c, baseline, window, _options);
            return new DeviceHealth(
                c.DeviceId, c.BusId, verdict, reasons, c.Polls, c.Requests, c.Responses, c.Timeouts, c.CrcErrors, c.Exceptions,
                c.TransportErrors, c.ConsecutiveUnansweredPolls, c.LatencyAverage?.TotalMilliseconds, c.LatencyMax?.TotalMilliseconds,
                c.LastAnswer, c.NextPoll);
        })];
    }
}
