using CivicEdge.Fleet.Contracts;

namespace CivicEdge.Gateway.Acquisition;

/// <summary>An alarm that is raised and not yet cleared, as kept across restarts so that it is not raised twice.</summary>
/// <param name="DeviceId">The device the alarm is about.</param>
/// <param name="Code">The alarm's code, e.g. <c>voltage_l1.high</c> or <c>comm_lost</c>.</param>
/// <param name="Severity">Its severity when raised, for the clear.</param>
/// <param name="Point">The point it is about, if any.</param>
/// <param name="Since">When it was raised.</param>
public sealed record RaisedAlarm(string DeviceId, string Code, EventSeverity Severity, string? Point, DateTimeOffset Since);
