using CivicEdge.Fleet.Contracts;
using CivicEdge.Fleet.Contracts.Alarms;

namespace CivicEdge.Fleet.Core.Alarms;

/// <summary>A condition detected on a device: raises an alarm, or counts on the open one of the same type.</summary>
/// <param name="Device">The device.</param>
/// <param name="Type">The condition: an event code or <c>offline</c>.</param>
/// <param name="Severity">How urgent.</param>
/// <param name="Source">Device, rule or fleet.</param>
/// <param name="Message">What happened, for people.</param>
/// <param name="At">When the condition was detected.</param>
public sealed record AlarmRaise(string Device, string Type, EventSeverity Severity, AlarmSource Source, string Message, DateTimeOffset At);
