namespace CivicEdge.Gateway.Uplink;

/// <summary>A snapshot of the link to the fleet, for the health report.</summary>
/// <param name="Connected">True while a session is open.</param>
/// <param name="Since">When the link was last opened (connected) or lost (not connected); null before the first attempt.</param>
/// <param name="LastError">Why the last connection attempt or session failed; null when none has.</param>
/// <param name="LastErrorAt">When that was.</param>
/// <param name="Streams">Per stream, in delivery order: events, billing, telemetry.</param>
public sealed record UplinkStatus(
    bool Connected,
    DateTimeOffset? Since,
    string? LastError,
    DateTimeOffset? LastErrorAt,
    IReadOnlyList<UplinkStreamStatus> Streams);
