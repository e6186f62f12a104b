namespace CivicEdge.Fleet.Contracts.Ledger;

/// <summary>
/// A device as listed by <c>GET /api/devices</c>: every registered device, and every device seen in telemetry but not
/// registered (<see cref="Registered"/> false), so that nothing reporting to the fleet is invisible. The first six fields
/// are those the list always had.
/// </summary>
/// <param name="Id">The unified device code.</param>
/// <param name="Model">The hardware profile model: the ledger's, else the one telemetry named.</param>
/// <param name="Gateway">The gateway it sits behind: the ledger's, else the one it reported through.</param>
/// <param name="FirstSeen">When the fleet first heard from it; null when it has not reported yet.</param>
/// <param name="LastSeen">The timestamp of its newest reading.</param>
/// <param name="Readings">How many readings the fleet holds for it.</param>
/// <param name="Registered">Whether the ledger has it.</param>
/// <param name="Kind">What it is; null when not registered.</param>
/// <param name="Tenant">Its owner; null when not registered.</param>
/// <param name="District">Its district; null when unknown.</param>
/// <param name="State">Its lifecycle state; null when not registered.</param>
/// <param name="Firmware">Its firmware version.</param>
/// <param name="Tags">Its tags.</param>
public sealed record DeviceListItem(
    string Id,
    string? Model,
    string? Gateway,
    DateTimeOffset? FirstSeen,
    DateTimeOffset? LastSeen,
    long Readings,
    bool Registered,
    DeviceKind? Kind,
    string? Tenant,
    string? District,
    LifecycleState? State,
    string? Firmware,
    IReadOnlyList<string> Tags);
