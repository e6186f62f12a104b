using System.Globalization;
using CivicEdge.Fleet.Contracts;
using CivicEdge.Fleet.Contracts.Alarms;
using CivicEdge.Fleet.Contracts.Health;
using CivicEdge.Fleet.Contracts.Ledger;
using DeviceHealthEntry = CivicEdge.Fleet.Contracts.DeviceHealth;

namespace CivicEdge.Fleet.Core.Health;

/// <summary>
/// Judges every device of a <see cref="HealthSnapshot"/>: its connectivity against its cadence, and a verdict with the
/// reasons found against it. Pure and thread-safe: the same snapshot always gives the same answer.
/// </summary>
/// <remarks>
/// <para>Connectivity, with <c>c</c> the cadence, <c>g</c> the grace and <c>N</c> <see cref="HealthOptions.OfflineAfterCadences"/>,
/// from the time since the device was last heard of: online up to <c>c + g</c>, late up to <c>N·c + g</c>, offline
/// beyond; unknown when never heard of. "Heard of" is the newest of its last reading, its gateway's last answer from it
/// (in the gateway's latest health report) and, for a gateway or IP device, its last health report and birth message.</para>
/// <para>Verdict: unknown and offline follow connectivity; otherwise failing when any reason fails, degraded when any
/// degrades (late is one), ok when none is found.</para>
/// </remarks>
public sealed class HealthAssessor
{
    private readonly HealthOptions _options;
    private readonly CadencePolicy _cadences;

    public HealthAssessor(HealthOptions options, CadencePolicy cadences)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(cadences);
        _options = options;
        _cadences = cadences;
    }

    /// <summary>Every device of the snapshot (the ledger's, those telemetry revealed, gateways that report), ordered by code.</summary>
    public IReadOnlyList<DeviceHealthStatus> AssessAll(HealthSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var context = new Context(snapshot);
        var ids = new SortedSet<string>(StringComparer.Ordinal);
        ids.UnionWith(context.Ledger.Keys);
        ids.UnionWith(context.Telemetry.Keys);
        ids.UnionWith(snapshot.Reports.Keys);
        ids.ExceptWith(context.Gone);
        return ids.Select(id => Assess(id, context)).ToList();
    }

    /// <summary>One device of the snapshot; unknown connectivity when the snapshot holds nothing about it.</summary>
    public DeviceHealthStatus Assess(HealthSnapshot snapshot, string device)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentException.ThrowIfNullOrEmpty(device);
        return Assess(device, new Context(snapshot));
    }

    private DeviceHealthStatus Assess(string id, Context context)
    {
        var now = context.Snapshot.At;
        context.Ledger.TryGetValue(id, out var entry);
        context.Telemetry.TryGetValue(id, out var summary);
        var model = entry?.Model ?? summary?.Model;
        var gateway = entry?.Gateway ?? summary?.Gateway;
        var (cadence, origin) = _cadences.For(id, entry?.Kind, model, entry?.Tags);
        var lastSeen = LastSeen(id, context, summary);
        var state = Connectivity(lastSeen, cadence, now);

        var reasons = new List<HealthReason>();
        switch (state)
        {
            case ConnectivityState.Unknown:
                reasons.Add(new HealthReason("unknown", DeviceVerdict.Unknown, "never heard from"));
                break;
            case ConnectivityState.Offline:
                reasons.Add(new HealthReason("offline", DeviceVerdict.Offline,
                    $"last heard {Ago(now - lastSeen!.Value)} ago ({lastSeen:yyyy-MM-ddTHH:mm:ssZ}), expected every {Duration(cadence)}; offline after {_options.OfflineAfterCadences} missed"));
                break;
            case ConnectivityState.Late:
                reasons.Add(new HealthReason("late", DeviceVerdict.Degraded,
                    $"last heard {Ago(now - lastSeen!.Value)} ago, expected every {Duration(cadence)}"));
                break;
        }

        if (gateway is not null && !string.Equals(gateway, id, StringComparison.Ordinal))
            GatewayFindings(id, gateway, context, reasons);
        if (context.Snapshot.Reports.TryGetValue(id, out var report))
            ReportFindings(report, now, reasons);
        AlarmFindings(id, context, reasons);
        if (context.Snapshot.LatestValues.TryGetValue(id, out var values))
            ValueFindings(values, reasons);
        if (entry is { Model: { } m, Firmware: { } firmware } && context.Snapshot.FirmwareTargets.TryGetValue(m, out var target)
            && !string.Equals(firmware, target.Version, StringComparison.Ordinal))
        {
            reasons.Add(new HealthReason("firmware_drift", DeviceVerdict.Degraded, target.Devices == 0
                ? $"runs firmware {firmware}; {m} should run {target.Version}"
                : $"runs firmware {firmware}; most {m} devices run {target.Version} ({target.Running} of {target.Devices})"));
        }

        var verdict = state switch
        {
            ConnectivityState.Unknown => DeviceVerdict.Unknown,
            ConnectivityState.Offline => DeviceVerdict.Offline,
            _ when reasons.Any(r => r.Verdict == DeviceVerdict.Failing) => DeviceVerdict.Failing,
            _ when reasons.Count > 0 => DeviceVerdict.Degraded,
            _ => DeviceVerdict.Ok,
        };

        return new DeviceHealthStatus(
            id, entry is not null, entry?.Kind, model, entry?.Tenant, entry?.Location?.District, gateway, entry?.Firmware, entry?.State,
            cadence.TotalSeconds, origin, lastSeen, state, verdict,
            reasons.OrderBy(r => Rank(r.Verdict)).ToList());
    }

    /// <summary>Online, late, offline or unknown after <paramref name="lastSeen"/>, as the class remarks define them.</summary>
    public ConnectivityState Connectivity(DateTimeOffset? lastSeen, TimeSpan cadence, DateTimeOffset now)
    {
        if (lastSeen is not { } seen)
            return ConnectivityState.Unknown;
        var silent = now - seen;
        if (silent <= cadence + _options.Grace)
            return ConnectivityState.Online;
        return silent <= (cadence * _options.OfflineAfterCadences) + _options.Grace ? ConnectivityState.Late : ConnectivityState.Offline;
    }

    private static DateTimeOffset? LastSeen(string id, Context context, DeviceSummary? summary)
    {
        var seen = summary?.LastSeen;
        if (context.Answers.TryGetValue(id, out var answer) && answer.Health.LastAnswer is { } lastAnswer)
            seen = Latest(seen, lastAnswer);
        if (context.Snapshot.Reports.TryGetValue(id, out var report))
            seen = Latest(seen, report.Timestamp);
        if (context.Snapshot.Sources.TryGetValue(id, out var source) && source.Online)
            seen = Latest(seen, source.Timestamp);
        return seen;
    }

    /// <summary>What the gateway a device sits behind says of it, and whether the gateway itself is heard from.</summary>
    private void GatewayFindings(string id, string gateway, Context context, List<HealthReason> reasons)
    {
        if (context.Answers.TryGetValue(id, out var answer) && string.Equals(answer.Gateway, gateway, StringComparison.Ordinal))
        {
            var detail = answer.Health.Reasons.Count > 0 ? string.Join("; ", answer.Health.Reasons) : $"{answer.Health.UnansweredPolls} polls in a row unanswered";
            switch (answer.Health.Verdict)
            {
                case HealthVerdict.Failed:
                    reasons.Add(new HealthReason("comm_errors", DeviceVerdict.Failing, $"gateway {gateway}: does not answer ({detail})"));
                    break;
                case HealthVerdict.Degraded:
                    reasons.Add(new HealthReason("comm_errors", DeviceVerdict.Degraded, $"gateway {gateway}: {detail}"));
                    break;
            }
        }

        context.Ledger.TryGetValue(gateway, out var gatewayEntry);
        context.Telemetry.TryGetValue(gateway, out var gatewaySummary);
        var gatewaySeen = LastSeen(gateway, context, gatewaySummary);
        if (gatewaySeen is null && gatewayEntry is null)
            return;
        var (cadence, _) = _cadences.For(gateway, gatewayEntry?.Kind ?? DeviceKind.Gateway, gatewayEntry?.Model ?? gatewaySummary?.Model, gatewayEntry?.Tags);
        if (Connectivity(gatewaySeen, cadence, context.Snapshot.At) is ConnectivityState.Offline or ConnectivityState.Unknown)
        {
            reasons.Add(new HealthReason("gateway_offline", DeviceVerdict.Degraded, gatewaySeen is { } seen
                ? $"its gateway {gateway} is offline (last heard {seen:yyyy-MM-ddTHH:mm:ssZ})"
                : $"its gateway {gateway} has never been heard from"));
        }
    }

    /// <summary>A gateway's own report: outbox backlog, disk, uplink, restarts.</summary>
    private void ReportFindings(HealthReport report, DateTimeOffset now, List<HealthReason> reasons)
    {
        foreach (var stream in report.Outbox)
        {
            if (stream.OldestAgeSeconds is { } age && TimeSpan.FromSeconds(age) > _options.MaxOutboxAge)
            {
                reasons.Add(new HealthReason("outbox_backlog", DeviceVerdict.Degraded,
                    $"outbox {stream.Stream}: {stream.Depth.ToString("N0", CultureInfo.InvariantCulture)} records waiting, the oldest {Ago(TimeSpan.FromSeconds(age))} old (more than {Duration(_options.MaxOutboxAge)})"));
            }

            if (stream.Dropped > 0)
            {
                reasons.Add(new HealthReason("outbox_backlog", DeviceVerdict.Degraded,
                    $"outbox {stream.Stream}: {stream.Dropped.ToString("N0", CultureInfo.InvariantCulture)} records dropped while it was full"));
            }
        }

        if (report.Disk.Condition != DiskCondition.Healthy)
        {
            reasons.Add(new HealthReason("disk", DeviceVerdict.Failing,
                $"disk {report.Disk.Path}: {report.Disk.Condition}{(report.Disk.LastError is { } error ? $" ({error})" : string.Empty)}, {report.Disk.Buffered} records held in memory"));
        }
        else if (report.Disk is { FreeBytes: { } free, TotalBytes: { } total and > 0 } && (double)free / total < _options.MinFreeDiskShare)
        {
            reasons.Add(new HealthReason("disk", DeviceVerdict.Degraded,
                $"disk {report.Disk.Path}: {Number(100.0 * free / total)} % free, less than {Number(100 * _options.MinFreeDiskShare)} %"));
        }

        if (!report.Uplink.Connected || report.Uplink.FailedAttempts > 0)
        {
            reasons.Add(new HealthReason("uplink", DeviceVerdict.Degraded,
                $"uplink {(report.Uplink.Connected ? "connected" : "down")}, {report.Uplink.FailedAttempts} failed attempts{(report.Uplink.LastError is { } error ? $", last error: {error}" : string.Empty)}"));
        }

        var started = report.Timestamp - TimeSpan.FromSeconds(report.UptimeSeconds);
        if (now - started < _options.RestartWindow)
        {
            reasons.Add(new HealthReason("restarted", DeviceVerdict.Degraded,
                $"restarted at {started:yyyy-MM-ddTHH:mm:ssZ} (running {report.SoftwareVersion}), within the last {Duration(_options.RestartWindow)}"));
        }
    }

    /// <summary>Open alarms: a device that stopped answering fails; a major alarm degrades, a critical one fails.</summary>
    private static void AlarmFindings(string id, Context context, List<HealthReason> reasons)
    {
        if (!context.Alarms.TryGetValue(id, out var alarms))
            return;
        foreach (var alarm in alarms)
        {
            if (alarm.Source == AlarmSource.Fleet)
                continue;
            var since = $"since {alarm.FirstRaised:yyyy-MM-ddTHH:mm:ssZ}{(alarm.Count > 1 ? $", raised {alarm.Count} times" : string.Empty)}, alarm {alarm.Id}";
            if (string.Equals(alarm.Type, "comm_lost", StringComparison.Ordinal))
                reasons.Add(new HealthReason("comm_lost", DeviceVerdict.Failing, $"does not answer its gateway ({since})"));
            else if (alarm.Severity >= EventSeverity.Major)
                reasons.Add(new HealthReason("open_alarm", alarm.Severity == EventSeverity.Critical ? DeviceVerdict.Failing : DeviceVerdict.Degraded,
                    $"{alarm.Type} ({SeverityName(alarm.Severity)}): {alarm.Message} ({since})"));
        }
    }

    /// <summary>The quality of its newest values, and supply voltage points out of their range.</summary>
    private void ValueFindings(IReadOnlyList<LatestValue> values, List<HealthReason> reasons)
    {
        if (values.Count == 0)
            return;
        var bad = values.Where(v => v.Quality is Quality.CommError or Quality.Stale).ToList();
        if (bad.Count > 0)
        {
            reasons.Add(new HealthReason("quality", bad.Count == values.Count ? DeviceVerdict.Failing : DeviceVerdict.Degraded,
                $"{bad.Count} of {values.Count} points without a fresh reading: {string.Join(", ", bad.Take(5).Select(v => $"{v.Point} {QualityName(v.Quality)}"))}{(bad.Count > 5 ? ", …" : string.Empty)}"));
        }

        foreach (var value in values)
        {
            if (!_options.SupplyVoltage.TryGetValue(value.Point, out var range) || value.Quality is Quality.CommError or Quality.Stale)
                continue;
            if (range.Min is { } min && value.Value < min)
                reasons.Add(new HealthReason("supply_voltage", DeviceVerdict.Degraded, $"{value.Point} {Number(value.Value)} {value.Unit}, below {Number(min)} {value.Unit}"));
            else if (range.Max is { } max && value.Value > max)
                reasons.Add(new HealthReason("supply_voltage", DeviceVerdict.Degraded, $"{value.Point} {Number(value.Value)} {value.Unit}, above {Number(max)} {value.Unit}"));
        }
    }

    private static int Rank(DeviceVerdict verdict) => verdict switch
    {
        DeviceVerdict.Offline => 0,
        DeviceVerdict.Unknown => 0,
        DeviceVerdict.Failing => 1,
        _ => 2,
    };

    private static DateTimeOffset Latest(DateTimeOffset? a, DateTimeOffset b) => a is { } x && x > b ? x : b;

    private static string Number(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);

    private static string SeverityName(EventSeverity severity) => System.Text.Json.JsonNamingPolicy.CamelCase.ConvertName(severity.ToString());

    private static string QualityName(Quality quality) => System.Text.Json.JsonNamingPolicy.CamelCase.ConvertName(quality.ToString());

    /// <summary>A duration for people: <c>90s</c>, <c>15 min</c>, <c>2 h 5 min</c>, <c>3 d 4 h</c>.</summary>
    public static string Duration(TimeSpan span) => span switch
    {
        { TotalSeconds: < 120 } => $"{(long)span.TotalSeconds}s",
        { TotalHours: < 2 } => $"{(long)span.TotalMinutes} min",
        { TotalDays: < 2 } => span.Minutes == 0 ? $"{(long)span.TotalHours} h" : $"{(long)span.TotalHours} h {span.Minutes} min",
        _ => span.Hours == 0 ? $"{(long)span.TotalDays} d" : $"{(long)span.TotalDays} d {span.Hours} h",
    };

    private static string Ago(TimeSpan span) => Duration(span < TimeSpan.Zero ? TimeSpan.Zero : span);

    /// <summary>The snapshot indexed for lookups by device.</summary>
    private sealed class Context
    {
        public Context(HealthSnapshot snapshot)
        {
            Snapshot = snapshot;
            Ledger = snapshot.Ledger.Where(d => d.State != LifecycleState.Decommissioned).ToDictionary(d => d.Code, StringComparer.Ordinal);
            Telemetry = snapshot.Telemetry.ToDictionary(d => d.Id, StringComparer.Ordinal);
            Alarms = snapshot.OpenAlarms.GroupBy(a => a.Device, StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => g.OrderBy(a => a.Id).ToList(), StringComparer.Ordinal);
            Answers = new Dictionary<string, (string, DeviceHealthEntry)>(StringComparer.Ordinal);
            foreach (var (gateway, report) in snapshot.Reports)
            {
                foreach (var device in report.Devices)
                    Answers[device.DeviceId] = (gateway, device);
            }

            // Decommissioned devices are gone for good: telemetry and reports about them are history, not health.
            Gone = snapshot.Ledger.Where(d => d.State == LifecycleState.Decommissioned).Select(d => d.Code).ToHashSet(StringComparer.Ordinal);
            foreach (var gone in Gone)
                Telemetry.Remove(gone);
        }

        public HashSet<string> Gone { get; }

        public HealthSnapshot Snapshot { get; }

        public Dictionary<string, LedgerDevice> Ledger { get; }

        public Dictionary<string, DeviceSummary> Telemetry { get; }

        public Dictionary<string, List<Alarm>> Alarms { get; }

        public Dictionary<string, (string Gateway, DeviceHealthEntry Health)> Answers { get; }
    }
}
