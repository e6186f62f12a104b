using CivicEdge.Fleet.Contracts;
using CivicEdge.Fleet.Contracts.Alarms;
using CivicEdge.Fleet.Contracts.Ledger;
using CivicEdge.Fleet.Core.Health;

namespace CivicEdge.Fleet.Core.Tests;

/// <summary>Ledger devices, gateway reports and snapshots for health tests, every field a test does not name set to something dull.</summary>
internal static class HealthFixtures
{
    public static readonly DateTimeOffset T0 = new(2026, 11, 22, 10, 0, 0, TimeSpan.Zero);

    public static LedgerDevice Device(
        string code,
        DeviceKind kind,
        string tenant = "water",
        string? district = "Jinshui",
        string? gateway = null,
        string? model = null,
        string? firmware = null,
        LifecycleState state = LifecycleState.InService,
        string? pole = null,
        string[]? tags = null,
        string[]? capabilities = null) =>
        new(code, kind, model, tenant, new DeviceLocation(null, null, null, pole, district), gateway, state, firmware,
            tags ?? [], capabilities ?? [], null, null, null, T0.AddDays(-30), T0.AddDays(-30), 1, []);

    public static DeviceSummary Seen(string id, DateTimeOffset lastSeen, string? gateway = null, string? model = null) =>
        new(id, model, gateway, T0.AddDays(-30), lastSeen, 100);

    public static HealthReport Report(string gateway, DateTimeOffset at, double uptimeSeconds = 86_400 * 10, params DeviceHealth[] devices) => new(
        gateway, "1.4.0", at, uptimeSeconds, ConfigurationOrigin.Local, null, new ProcessHealth(3, 1, 50_000_000, 8_000_000),
        new DiskHealth("/data/gateway.db", 900, 1000), [new OutboxHealth(Streams.Telemetry, 0, null, 10, 10, 0)],
        new UplinkHealth(true, at.AddDays(-1), null, null, 0), devices);

    public static DeviceHealth Answer(string device, HealthVerdict verdict, DateTimeOffset? lastAnswer, params string[] reasons) =>
        new(device, "rs485-1", verdict, reasons, 100, 100, 90, 10, 0, 0, 0, verdict == HealthVerdict.Failed ? 5 : 0, 20, 50, lastAnswer, null);

    public static Alarm OpenAlarm(long id, string device, string type, EventSeverity severity = EventSeverity.Major, AlarmSource source = AlarmSource.Device) =>
        new(id, device, type, severity, source, $"{type} raised", AlarmState.Raised, T0.AddHours(-1), T0.AddHours(-1), 1, null, "water", "Jinshui", [], 1);

    public static HealthSnapshot Snapshot(
        DateTimeOffset at,
        IReadOnlyList<LedgerDevice>? ledger = null,
        IReadOnlyList<DeviceSummary>? telemetry = null,
        IReadOnlyList<HealthReport>? reports = null,
        IReadOnlyList<Alarm>? alarms = null,
        IReadOnlyDictionary<string, IReadOnlyList<LatestValue>>? values = null,
        HealthOptions? options = null) =>
        new(at, ledger ?? [], telemetry ?? [],
            (reports ?? []).ToDictionary(r => r.SourceId, StringComparer.Ordinal),
            new Dictionary<string, SourceState>(StringComparer.Ordinal),
            values ?? new Dictionary<string, IReadOnlyList<LatestValue>>(StringComparer.Ordinal),
            alarms ?? [],
            FirmwareTarget.From(options ?? new HealthOptions(), ledger ?? []));
}
