namespace CivicEdge.Rules.Documents;

/// <summary>Something a rule does when it becomes active (<c>then</c>) or inactive (<c>else</c>).</summary>
public abstract record RuleAction;
