using CivicEdge.Hardware;

namespace CivicEdge.Rules.Documents;

/// <summary>Raises an alarm on a device; in <c>then</c> it clears by itself when the rule becomes inactive.</summary>
public sealed record RaiseAlarmAction(string Alarm, string Device, AlarmSeverity Severity, MessageTemplate Message) : RuleAction;
