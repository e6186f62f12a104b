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
        var at = _timeProvider.GetUtcNow();
        var entry = await _ledger.FindDeviceAsync(device, cancellationToken).ConfigureAwait(false);
        var summary = await _store.FindDeviceAsync(device, cancellationToken).ConfigureAwait(false);
        var report = await _store.GetHealthAsync(device, cancellationToken).ConfigureAwait(false);
        if ((entry is null || entry.State == LifecycleState.Decommissioned) && summary is null && report is null)
            return null;

        var ledger = new List<LedgerDevice>();
        var telemetry = new List<DeviceSummary>();
        if (entry is not null)
            ledger.Add(entry);
        if (summary is not null)
            telemetry.Add(summary);

        var gateway = entry?.Gateway ?? summary?.Gateway;
        if (gateway is not null && !string.Equals(gateway, device, StringComparison.Ordinal))
        {
            if (await _ledger.FindDeviceAsync(gateway, cancellationToken).ConfigureAwait(false) is { } gatewayEntry)
                ledger.Add(gatewayEntry);
            if (await _store.FindDeviceAsync(gateway, cancellationToken).ConfigureAwait(false) is { } gatewaySummary)
                telemetry.Add(gatewaySummary);
        }

        var sources = (await _store.ListSourcesAsync(cancellationToken).ConfigureAwait(false))
            .Where(s => s.SourceId == device || s.SourceId == gateway)
            .ToDictionary(s => s.SourceId, StringComparer.Ordinal);
        var reports = await ReportsAsync(gateway is null ? [device] : [device, gateway], cancellationToken).ConfigureAwait(false);
        var values = new Dictionary<string, IReadOnlyList<LatestValue>>(StringComparer.Ordinal)
        {
            [device] = await _store.GetLatestValuesAsync(device, cancellationToken).ConfigureAwait(false),
        };
        var open = await _alarms.QueryAlarmsAsync(new AlarmQuery { States = AlarmQuery.OpenStates, Device = device, Limit = int.MaxValue }, cancellationToken).ConfigureAwait(false);
        var peers = entry?.Model is { } model
            ? await _ledger.QueryDevicesAsync(new DeviceQuery { Model = model }, cancellationToken).ConfigureAwait(false)
            : [];

        var snapshot = new HealthSnapshot(at, ledger, telemetry, reports, sources, values, open, FirmwareTarget.From(_options, peers));
        return Assessor.Assess(snapshot, device);
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
