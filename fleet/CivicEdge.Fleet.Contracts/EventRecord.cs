namespace CivicEdge.Fleet.Contracts;

/// <summary>One event of one device, numbered in the source's <see cref="Streams.Events"/> stream.</summary>
/// <param name="Seq">The record's sequence number within the stream; strictly increasing, starting at 1.</param>
/// <param name="DeviceId">The unified device code of the device the event is about (the gateway's own code for its own events).</param>
/// <param name="Timestamp">When the condition was detected (UTC).</param>
/// <param name="Code">
/// What happened, stable for a condition so that its raise and its clear match: e.g. <c>voltage_l1.high</c>,
/// <c>door_open</c>, <c>comm_lost</c>.
/// </param>
/// <param name="State">Raised, cleared or occurred.</param>
/// <param name="Severity">How urgent it is.</param>
/// <param name="Message">What happened, for people.</param>
/// <param name="Point">The point the condition is about, if any.</param>
/// <param name="Value">The point's value when the condition was detected, if any.</param>
public sealed record EventRecord(
    long Seq,
    string DeviceId,
    DateTimeOffset Timestamp,
    string Code,
    EventState State,
    EventSeverity Severity,
    string Message,
    string? Point,
    double? Value);
