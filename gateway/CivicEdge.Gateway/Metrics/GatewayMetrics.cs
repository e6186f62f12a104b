using System.Diagnostics.Metrics;
using CivicEdge.Fleet.Contracts;
using CivicEdge.Gateway.Health;

namespace CivicEdge.Gateway.Metrics;

/// <summary>
/// The gateway's instruments on the <see cref="MeterName"/> meter (System.Diagnostics.Metrics), observed from the
/// health report: outbox depth and age per stream, records delivered, the uplink, and per field device its requests,
/// timeouts, damaged answers, exceptions, latency and verdict. Any exporter that listens to the meter sees them;
/// <see cref="PrometheusExporter"/> serves them on <c>/metrics</c>. Every instrument of one collection reads the same
/// report (<see cref="HealthMonitor.Latest"/>).
/// </summary>
public sealed class GatewayMetrics : IDisposable
{
    /// <summary>The meter's name.</summary>
    public const string MeterName = "CivicEdge.Gateway";

    /// <summary>How old a report one collection may reuse: every instrument of a scrape is observed within it.</summary>
    public static readonly TimeSpan ReportMaxAge = TimeSpan.FromSeconds(1);

    private readonly Meter _meter;
    private readonly HealthMonitor _monitor;

    public GatewayMetrics(IMeterFactory meters, HealthMonitor monitor)
    {
        ArgumentNullException.ThrowIfNull(meters);
        _monitor = monitor ?? throw new ArgumentNullException(nameof(monitor));
        _meter = meters.Create(MeterName);

        _meter.CreateObservableGauge("civicedge.gateway.uptime", () => Report.UptimeSeconds, "s", "Time since the gateway started");
        _meter.CreateObservableUpDownCounter<long>("civicedge.disk.free", () => Report.Disk.FreeBytes is { } free ? [new Measurement<long>(free)] : [], "By", "Free space on the volume of the gateway database");

        _meter.CreateObservableUpDownCounter("civicedge.outbox.depth", () => PerStream(o => o.Depth), "{record}", "Records waiting for the fleet's acknowledgement");
        _meter.CreateObservableGauge("civicedge.outbox.oldest_age", () => PerStream(o => o.OldestAgeSeconds ?? 0), "s", "Age of the oldest waiting record; 0 when none waits");
        _meter.CreateObservableCounter("civicedge.outbox.delivered", () => PerStream(o => o.Delivered), "{record}", "Records the fleet acknowledged as persisted");
        _meter.CreateObservableUpDownCounter("civicedge.outbox.quarantined", () => PerStream(o => o.Quarantined), "{record}", "Records the fleet refused, kept aside");

        _meter.CreateObservableGauge("civicedge.uplink.connected", () => Report.Uplink.Connected ? 1 : 0, "1", "1 while connected to the fleet's broker");
        _meter.CreateObservableUpDownCounter("civicedge.uplink.failed_attempts", () => Report.Uplink.FailedAttempts, "{attempt}", "Connection attempts failed since the last success");

        _meter.CreateObservableCounter("civicedge.device.polls", () => PerDevice(d => d.Polls), "{poll}", "Polls made per field device");
        _meter.CreateObservableCounter("civicedge.device.requests", () => PerDevice(d => d.Requests), "{request}", "Read requests made per field device");
        _meter.CreateObservableCounter("civicedge.device.responses", () => PerDevice(d => d.Responses), "{response}", "Requests answered with data");
        _meter.CreateObservableCounter("civicedge.device.timeouts", () => PerDevice(d => d.Timeouts), "{request}", "Requests that got no answer in time");
        _meter.CreateObservableCounter("civicedge.device.crc_errors", () => PerDevice(d => d.CrcErrors), "{response}", "Answers that arrived damaged (CRC or framing)");
        _meter.CreateObservableCounter("civicedge.device.exceptions", () => PerDevice(d => d.Exceptions), "{response}", "Modbus exception responses");
        _meter.CreateObservableCounter("civicedge.device.transport_errors", () => PerDevice(d => d.TransportErrors), "{request}", "Requests that failed because the link could not be opened or broke");
        _meter.CreateObservableGauge("civicedge.device.latency.average", () => PerDevice(d => d.LatencyAverageMs / 1000), "s", "Mean time of answered requests");
        _meter.CreateObservableGauge("civicedge.device.latency.max", () => PerDevice(d => d.LatencyMaxMs / 1000), "s", "Slowest answered request");
        _meter.CreateObservableGauge("civicedge.device.verdict", Verdicts, null, "1 for the device's current verdict (ok, degraded, failed), 0 for the others");
    }

    public void Dispose() => _meter.Dispose();

    private HealthReport Report => _monitor.Latest(ReportMaxAge);

    private IEnumerable<Measurement<T>> PerStream<T>(Func<OutboxHealth, T> value)
        where T : struct =>
        Report.Outbox.Select(o => new Measurement<T>(value(o), new KeyValuePair<string, object?>("stream", o.Stream)));

    private IEnumerable<Measurement<T>> PerDevice<T>(Func<DeviceHealth, T> value)
        where T : struct =>
        Report.Devices.Select(d => new Measurement<T>(value(d), Device(d)));

    private IEnumerable<Measurement<double>> PerDevice(Func<DeviceHealth, double?> value) =>
        Report.Devices.Where(d => value(d) is not null).Select(d => new Measurement<double>(value(d)!.Value, Device(d)));

    private IEnumerable<Measurement<int>> Verdicts() =>
        Report.Devices.SelectMany(d => Enum.GetValues<HealthVerdict>().Select(v => new Measurement<int>(
            d.Verdict == v ? 1 : 0,
            [.. Device(d), new KeyValuePair<string, object?>("verdict", v.ToString().ToLowerInvariant())])));

    private static KeyValuePair<string, object?>[] Device(DeviceHealth device) =>
        [new("device", device.DeviceId), new("bus", device.Bus)];
}
