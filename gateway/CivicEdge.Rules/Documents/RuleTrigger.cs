namespace CivicEdge.Rules.Documents;

/// <summary>When a rule is evaluated.</summary>
public abstract record RuleTrigger;
