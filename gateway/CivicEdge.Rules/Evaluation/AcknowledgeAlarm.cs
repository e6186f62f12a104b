namespace CivicEdge.Rules.Evaluation;

/// <summary>An active alarm was acknowledged from the fleet; it stays active until its condition clears.</summary>
public sealed record AcknowledgeAlarm(string RuleId, DateTimeOffset At, string DeviceId, string Alarm, string? By)
    : RuleIntent(RuleId, At);
