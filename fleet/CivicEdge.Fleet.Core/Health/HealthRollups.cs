using CivicEdge.Fleet.Contracts.Health;
using CivicEdge.Fleet.Core.Ledger;

namespace CivicEdge.Fleet.Core.Health;

/// <summary>Counts devices per connectivity state and verdict: in total and by tenant, district and kind.</summary>
public static class HealthRollups
{
    /// <summary>The group of devices the ledger gives no tenant, district or kind.</summary>
    public const string None = "(none)";

    public const string All = "all";

    public static HealthRollup Build(IReadOnlyList<DeviceHealthStatus> devices, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(devices);
        return new HealthRollup(
            at,
            Count(All, devices),
            By(devices, d => d.Tenant),
            By(devices, d => d.District),
            By(devices, d => d.Kind is { } kind ? LedgerNames.Of(kind) : null));
    }

    public static HealthCounts Count(string key, IEnumerable<DeviceHealthStatus> devices)
    {
        ArgumentNullException.ThrowIfNull(devices);
        int total = 0, online = 0, late = 0, offline = 0, unknown = 0, ok = 0, degraded = 0, failing = 0, offlineVerdict = 0, unknownVerdict = 0;
        foreach (var device in devices)
        {
            total++;
            switch (device.State)
            {
                case ConnectivityState.Online: online++; break;
                case ConnectivityState.Late: late++; break;
                case ConnectivityState.Offline: offline++; break;
                default: unknown++; break;
            }

            switch (device.Verdict)
            {
                case DeviceVerdict.Ok: ok++; break;
                case DeviceVerdict.Degraded: degraded++; break;
                case DeviceVerdict.Failing: failing++; break;
                case DeviceVerdict.Offline: offlineVerdict++; break;
                default: unknownVerdict++; break;
            }
        }

        return new HealthCounts(key, total, online, late, offline, unknown, ok, degraded, failing, offlineVerdict, unknownVerdict);
    }

    private static List<HealthCounts> By(IReadOnlyList<DeviceHealthStatus> devices, Func<DeviceHealthStatus, string?> key) =>
        devices.GroupBy(d => key(d) ?? None, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => Count(g.Key, g))
            .ToList();
}
