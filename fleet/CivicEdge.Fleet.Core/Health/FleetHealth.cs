using CivicEdge.Fleet.Contracts;
using CivicEdge.Fleet.Contracts.Health;
using CivicEdge.Fleet.Contracts.Ledger;
using CivicEdge.Fleet.Core.Alarms;
using CivicEdge.Fleet.Core.Ledger;

namespace CivicEdge.Fleet.Core.Health;

/// <summary>
/// Reads what health is judged from (ledger, telemetry, gateway reports, births and deaths, newest values, open
/// alarms) into a <see cref="HealthSnapshot"/> and judges it with <see cref="HealthAssessor"/>.
/// </summary>
public sealed class FleetHealth
{
    private readonly IDeviceLedgerStore _ledger;
    private readonly IFleetStore _store;
    private readonly IAlarmStore _alarms;
    private readonly HealthOptions _options;
    private readonly TimeProvider _timeProvider;

    public FleetHealth(IDeviceLedgerStore ledger, IFleetStore store, IAlarmStore alarms, HealthOptions options, HealthAssessor assessor, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(ledger);
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(alarms);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(assessor);
        ArgumentNullException.ThrowIfNull(timeProvider);
        _ledger = ledger;
        _store = store;
        _alarms = alarms;
        _options = options;
        Assessor = assessor;
        _timeProvider = timeProvider;
    }

    public HealthAssessor Assessor { get; }

    /// <summary>Everything about every device, read now.</summary>
    public async Task<HealthSnapshot> SnapshotAsync(CancellationToken cancellationToken)
    {
        var at = _timeProvider.GetUtcNow();
        var ledger = await _ledger.QueryDevicesAsync(DeviceQuery.All, cancellationToken).ConfigureAwait(false);
        var telemetry = await _store.ListDevicesAsync(cancellationToken).ConfigureAwait(false);
        var sources = await _store.ListSourcesAsync(cancellationToken).ConfigureAwait(false);
        var gateways = ledger.Where(d => d.Kind == DeviceKind.Gateway).Select(d => d.Code)
            .Concat(ledger.Select(d => d.Gateway).OfType<string>())
            .Concat(telemetry.Select(d => d.Gateway).OfType<string>())
            .Concat(sources.Select(s => s.SourceId));
        var reports = await ReportsAsync(gateways, cancellationToken).ConfigureAwait(false);

        var values = new Dictionary<string, IReadOnlyList<LatestValue>>(StringComparer.Ordinal);
        foreach (var device in telemetry)
            values[device.Id] = await _store.GetLatestValuesAsync(device.Id, cancellationToken).ConfigureAwait(false);

        var open = await _alarms.QueryAlarmsAsync(new AlarmQuery { States = AlarmQuery.OpenStates, Limit = int.MaxValue }, cancellationToken).ConfigureAwait(false);
        return new HealthSnapshot(
            at, ledger, telemetry, reports, sources.ToDictionary(s => s.SourceId, StringComparer.Ordinal), values, open,
            FirmwareTarget.From(_options, ledger));
    }

    /// <summary>Every device, ordered by code.</summary>
    public async Task<IReadOnlyList<DeviceHealthStatus>> AssessAllAsync(CancellationToken cancellationToken) =>
        Assessor.AssessAll(await SnapshotAsync(cancellationToken).ConfigureAwait(false));

    /// <summary>One device, reading only what concerns it (itself, its gateway, its model's firmware); null when nothing knows it.</summary>
    public async Task<DeviceHealthStatus?> AssessAsync(string device, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(device);
        return (await AssessManyAsync([device], cancellationToken).ConfigureAwait(false)).GetValueOrDefault(device);
    }

    /// <summary>
    /// Several devices, each reading what concerns it, and what they share (births and deaths, their gateways, each
    /// model's firmware) once for all: a campaign samples every device it updated at each step, and reading the whole
    /// model again for each of them made a step's cost grow with the square of the campaign. A device nothing knows is
    /// left out.
    /// </summary>
    public async Task<IReadOnlyDictionary<string, DeviceHealthStatus>> AssessManyAsync(IReadOnlyCollection<string> devices, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(devices);
        var at = _timeProvider.GetUtcNow();
        var assessed = new Dictionary<string, DeviceHealthStatus>(StringComparer.Ordinal);
        if (devices.Count == 0)
            return assessed;

        var sources = (await _store.ListSourcesAsync(cancellationToken).ConfigureAwait(false)).ToDictionary(s => s.SourceId, StringComparer.Ordinal);
        var gateways = new Dictionary<string, (LedgerDevice? Entry, DeviceSummary? Summary, HealthReport? Report)>(StringComparer.Ordinal);
        var targets = new Dictionary<string, IReadOnlyDictionary<string, FirmwareTarget>>(StringComparer.Ordinal);
        foreach (var device in devices.Distinct(StringComparer.Ordinal))
        {
            ArgumentException.ThrowIfNullOrEmpty(device);
            var entry = await _ledger.FindDeviceAsync(device, cancellationToken).ConfigureAwait(false);
            var summary = await _store.FindDeviceAsync(device, cancellationToken).ConfigureAwait(false);
            var report = await _store.GetHealthAsync(device, cancellationToken).ConfigureAwait(false);
            if ((entry is null || entry.State == LifecycleState.Decommissioned) && summary is null && report is null)
                continue;

            var ledger = new List<LedgerDevice>();
            var telemetry = new List<DeviceSummary>();
            var reports = new Dictionary<string, HealthReport>(StringComparer.Ordinal);
            if (entry is not null)
                ledger.Add(entry);
            if (summary is not null)
                telemetry.Add(summary);
            if (report is not null)
                reports[device] = report;

            var gateway = entry?.Gateway ?? summary?.Gateway;
            if (gateway is not null && !string.Equals(gateway, device, StringComparison.Ordinal))
            {
                if (!gateways.TryGetValue(gateway, out var known))
                {
                    known = (await _ledger.FindDeviceAsync(gateway, cancellationToken).ConfigureAwait(false),
                        await _store.FindDeviceAsync(gateway, cancellationToken).ConfigureAwait(false),
                        await _store.GetHealthAsync(gateway, cancellationToken).ConfigureAwait(false));
                    gateways[gateway] = known;
                }

                if (known.Entry is not null)
                    ledger.Add(known.Entry);
                if (known.Summary is not null)
                    telemetry.Add(known.Summary);
                if (known.Report is not null)
                    reports[gateway] = known.Report;
            }

            var mine = sources.Where(s => s.Key == device || s.Key == gateway).ToDictionary(s => s.Key, s => s.Value, StringComparer.Ordinal);
            var values = new Dictionary<string, IReadOnlyList<LatestValue>>(StringComparer.Ordinal)
            {
                [device] = await _store.GetLatestValuesAsync(device, cancellationToken).ConfigureAwait(false),
            };
            var open = await _alarms.QueryAlarmsAsync(new AlarmQuery { States = AlarmQuery.OpenStates, Device = device, Limit = int.MaxValue }, cancellationToken).ConfigureAwait(false);
            var target = await TargetAsync(entry?.Model, targets, cancellationToken).ConfigureAwait(false);

            assessed[device] = Assessor.Assess(new HealthSnapshot(at, ledger, telemetry, reports, mine, values, open, target), device);
        }

        return assessed;
    }

    /// <summary>The firmware target of <paramref name="model"/>'s devices, read once per model into <paramref name="known"/>.</summary>
    private async Task<IReadOnlyDictionary<string, FirmwareTarget>> TargetAsync(
        string? model, Dictionary<string, IReadOnlyDictionary<string, FirmwareTarget>> known, CancellationToken cancellationToken)
    {
        var key = model ?? string.Empty;
        if (known.TryGetValue(key, out var target))
            return target;
        var peers = model is not null
            ? await _ledger.QueryDevicesAsync(new DeviceQuery { Model = model }, cancellationToken).ConfigureAwait(false)
            : [];
        return known[key] = FirmwareTarget.From(_options, peers);
    }

    private async Task<Dictionary<string, HealthReport>> ReportsAsync(IEnumerable<string> sources, CancellationToken cancellationToken)
    {
        var reports = new Dictionary<string, HealthReport>(StringComparer.Ordinal);
        foreach (var source in sources.Distinct(StringComparer.Ordinal))
        {
            if (await _store.GetHealthAsync(source, cancellationToken).ConfigureAwait(false) is { } report)
                reports[source] = report;
        }

        return reports;
    }
}
