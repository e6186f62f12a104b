namespace CivicEdge.Rules.Language;

/// <summary>A duration such as <c>5m</c>, the window of <c>avg</c>, <c>rate</c>, <c>min_over</c> and <c>max_over</c>.</summary>
public sealed record DurationLiteral(SourcePosition Position, double Seconds) : ExpressionNode(Position);
