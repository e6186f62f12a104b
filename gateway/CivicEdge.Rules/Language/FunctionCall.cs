namespace CivicEdge.Rules.Language;

/// <summary>A call of one of the built-in functions (<see cref="ExpressionTypes"/> lists them).</summary>
public sealed record FunctionCall(SourcePosition Position, string Name, IReadOnlyList<ExpressionNode> Arguments) : ExpressionNode(Position);
