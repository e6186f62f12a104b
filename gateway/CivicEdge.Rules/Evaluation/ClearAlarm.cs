namespace CivicEdge.Rules.Evaluation;

/// <summary>An active alarm clears (once); <c>WasAcknowledged</c> says whether it had been acknowledged before.</summary>
public sealed record ClearAlarm(string RuleId, DateTimeOffset At, string DeviceId, string Alarm, bool WasAcknowledged)
    : RuleIntent(RuleId, At);
