namespace CivicEdge.Rules.Evaluation;

/// <summary>A virtual point of the rule set took a new value (already applied inside the engine; reported for the record).</summary>
public sealed record SetVirtualPoint(string RuleId, DateTimeOffset At, string Point, double Value)
    : RuleIntent(RuleId, At);
