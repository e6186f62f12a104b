using CivicEdge.Fleet.Contracts;

namespace CivicEdge.Gateway.Acquisition;

/// <summary>
/// An alarm raised or cleared (or another event) at the edge, before the outbox numbers it in the
/// <see cref="Streams.Events"/> stream.
/// </summary>
/// <param name="DeviceId">The unified device code of the device the event is about.</param>
/// <param name="Timestamp">When the condition was detected (UTC).</param>
/// <param name="Code">What happened, the same for a condition's raise and clear, e.g. <c>voltage_l1.high</c>.</param>
/// <param name="State">Raised, cleared or occurred.</param>
/// <param name="Severity">How urgent it is.</param>
/// <param name="Message">What happened, for people.</param>
/// <param name="Point">The point the condition is about, if any.</param>
/// <param name="Value">The point's value when the condition was detected, if any.</param>
public sealed record DeviceEvent(
    string DeviceId,
    DateTimeOffset Timestamp,
    string Code,
    EventState State,
    EventSeverity Severity,
    string Message,
    string? Point = null,
    double? Value = null);
