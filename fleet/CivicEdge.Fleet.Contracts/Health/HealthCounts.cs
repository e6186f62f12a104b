namespace CivicEdge.Fleet.Contracts.Health;

/// <summary>How many devices of a group are in each connectivity state and each verdict.</summary>
/// <param name="Key">The group: a tenant, a district, a kind, or <c>all</c>; <c>(none)</c> for devices without one.</param>
/// <param name="Devices">Devices in the group.</param>
/// <param name="Online">Devices online.</param>
/// <param name="Late">Devices late.</param>
/// <param name="Offline">Devices offline.</param>
/// <param name="Unknown">Devices never heard from.</param>
/// <param name="Ok">Devices whose verdict is ok.</param>
/// <param name="Degraded">Devices whose verdict is degraded.</param>
/// <param name="Failing">Devices whose verdict is failing.</param>
/// <param name="OfflineVerdict">Devices whose verdict is offline.</param>
/// <param name="UnknownVerdict">Devices whose verdict is unknown.</param>
public sealed record HealthCounts(
    string Key,
    int Devices,
    int Online,
    int Late,
    int Offline,
    int Unknown,
    int Ok,
    int Degraded,
    int Failing,
    int OfflineVerdict,
    int UnknownVerdict);
