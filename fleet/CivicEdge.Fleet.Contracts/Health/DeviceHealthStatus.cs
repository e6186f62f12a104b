using CivicEdge.Fleet.Contracts.Ledger;

namespace CivicEdge.Fleet.Contracts.Health;

/// <summary>How one device is doing, as the fleet judges it: <c>GET /api/devices/{id}/health</c> and the health list.</summary>
/// <param name="Device">The unified device code.</param>
/// <param name="Registered">False for a device telemetry revealed that the ledger does not hold.</param>
/// <param name="Kind">Its kind in the ledger.</param>
/// <param name="Model">Its hardware profile model.</param>
/// <param name="Tenant">Its owner in the ledger.</param>
/// <param name="District">Its district in the ledger.</param>
/// <param name="Gateway">The gateway it sits behind.</param>
/// <param name="Firmware">The firmware the ledger says it runs.</param>
/// <param name="Lifecycle">Its lifecycle state in the ledger.</param>
/// <param name="CadenceSeconds">How often it is expected to report.</param>
/// <param name="CadenceOrigin">Where the cadence comes from: <c>device</c>, <c>ledger</c>, <c>kind</c>, <c>profile</c> or <c>default</c>.</param>
/// <param name="LastSeen">The newest of its last reading and its gateway's last answer from it; null if never.</param>
/// <param name="State">Online, late, offline or unknown.</param>
/// <param name="Verdict">Ok, degraded, failing, offline or unknown.</param>
/// <param name="Reasons">Every finding against it, the worst first.</param>
public sealed record DeviceHealthStatus(
    string Device,
    bool Registered,
    DeviceKind? Kind,
    string? Model,
    string? Tenant,
    string? District,
    string? Gateway,
    string? Firmware,
    LifecycleState? Lifecycle,
    double CadenceSeconds,
    string CadenceOrigin,
    DateTimeOffset? LastSeen,
    ConnectivityState State,
    DeviceVerdict Verdict,
    IReadOnlyList<HealthReason> Reasons);
