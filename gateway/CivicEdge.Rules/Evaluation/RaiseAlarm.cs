using CivicEdge.Hardware;

namespace CivicEdge.Rules.Evaluation;

/// <summary>An alarm becomes active on a device (it was not active before: raised once while active).</summary>
public sealed record RaiseAlarm(string RuleId, DateTimeOffset At, string DeviceId, string Alarm, AlarmSeverity Severity, string Message)
    : RuleIntent(RuleId, At);
