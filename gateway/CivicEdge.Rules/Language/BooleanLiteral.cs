namespace CivicEdge.Rules.Language;

/// <summary><c>true</c> or <c>false</c>.</summary>
public sealed record BooleanLiteral(SourcePosition Position, bool Value) : ExpressionNode(Position);
