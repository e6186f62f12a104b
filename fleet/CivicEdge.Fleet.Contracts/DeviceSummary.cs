namespace CivicEdge.Fleet.Contracts;

/// <summary>A device as listed by <c>GET /api/devices</c>.</summary>
/// <param name="Id">The unified device code.</param>
/// <param name="Model">The hardware profile model, when known.</param>
/// <param name="Gateway">The gateway the device reports through; null for a device with its own uplink.</param>
/// <param name="FirstSeen">When the fleet first heard of the device.</param>
/// <param name="LastSeen">The timestamp of its newest reading.</param>
/// <param name="Readings">How many readings the fleet holds for it.</param>
public sealed record DeviceSummary(
    string Id,
    string? Model,
    string? Gateway,
    DateTimeOffset FirstSeen,
    DateTimeOffset? LastSeen,
    long Readings);
