namespace CivicEdge.Gateway.Acquisition;

/// <summary>One bus in a <see cref="ReconfigurationPlan"/>.</summary>
/// <param name="BusId">The bus.</param>
/// <param name="Kind">What happens to it.</param>
/// <param name="Kept">Devices that keep their pollers, in the new configuration order.</param>
/// <param name="Created">Devices that get new pollers (new, changed or on a relinked bus).</param>
/// <param name="Stopped">Devices whose pollers are dropped (removed, changed or on a relinked or removed bus).</param>
public sealed record BusChange(
    string BusId,
    BusChangeKind Kind,
    IReadOnlyList<string> Kept,
    IReadOnlyList<string> Created,
    IReadOnlyList<string> Stopped);
