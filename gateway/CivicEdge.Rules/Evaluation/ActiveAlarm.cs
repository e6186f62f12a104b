using CivicEdge.Hardware;

namespace CivicEdge.Rules.Evaluation;

/// <summary>An alarm that is raised and not yet cleared.</summary>
public sealed record ActiveAlarm(string RuleId, string DeviceId, string Alarm, AlarmSeverity Severity, AlarmState State, DateTimeOffset RaisedAt);
