namespace CivicEdge.Fleet.Contracts;

/// <summary>An event as the fleet keeps it, in the answer of <c>GET /api/events</c> and <c>GET /api/devices/{id}/events</c>.</summary>
/// <param name="Source">The gateway (or IP device) that numbered and sent the event.</param>
/// <param name="Seq">Its sequence number in the source's <see cref="Streams.Events"/> stream.</param>
/// <param name="DeviceId">The device the event is about.</param>
/// <param name="Timestamp">When the condition was detected (UTC).</param>
/// <param name="Code">What happened, stable for a condition, e.g. <c>voltage_l1.high</c>.</param>
/// <param name="State">Raised, cleared or occurred.</param>
/// <param name="Severity">How urgent it is.</param>
/// <param name="Message">What happened, for people.</param>
/// <param name="Point">The point the condition is about, if any.</param>
/// <param name="Value">The point's value when the condition was detected, if any.</param>
/// <param name="ReceivedAt">When the fleet stored it (UTC); later than <paramref name="Timestamp"/> after an outage.</param>
public sealed record EventEntry(
    string Source,
    long Seq,
    string DeviceId,
    DateTimeOffset Timestamp,
    string Code,
    EventState State,
    EventSeverity Severity,
    string Message,
    string? Point,
    double? Value,
    DateTimeOffset ReceivedAt);
