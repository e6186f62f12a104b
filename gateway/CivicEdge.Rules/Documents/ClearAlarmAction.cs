namespace CivicEdge.Rules.Documents;

/// <summary>Clears an alarm on a device if it is active.</summary>
public sealed record ClearAlarmAction(string Alarm, string Device) : RuleAction;
