namespace CivicEdge.Rules.Language;

/// <summary>A number such as <c>0.05</c>.</summary>
public sealed record NumberLiteral(SourcePosition Position, double Value) : ExpressionNode(Position);
