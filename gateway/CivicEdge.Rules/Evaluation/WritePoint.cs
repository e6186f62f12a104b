namespace CivicEdge.Rules.Evaluation;

/// <summary>Write a value to a writable point of a device (the rule set was checked against its profile).</summary>
public sealed record WritePoint(string RuleId, DateTimeOffset At, string DeviceId, string Point, double Value)
    : RuleIntent(RuleId, At);
