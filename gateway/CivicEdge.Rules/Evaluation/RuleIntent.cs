namespace CivicEdge.Rules.Evaluation;

/// <summary>Something the rules decided to do; the gateway carries it out (outbox, bus write, event).</summary>
/// <param name="RuleId">The rule that decided it, or empty for an acknowledgement from the fleet.</param>
/// <param name="At">When.</param>
public abstract record RuleIntent(string RuleId, DateTimeOffset At);
