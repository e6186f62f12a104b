using CivicEdge.Rules.Language;

namespace CivicEdge.Rules.Documents;

/// <summary>Sets a virtual point of the rule set; rules that read it are evaluated at once.</summary>
public sealed record SetVirtualPointAction(string Point, ExpressionNode Value) : RuleAction;
