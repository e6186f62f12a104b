namespace CivicEdge.Rules.Language;

/// <summary><c>not x</c> or <c>-x</c>.</summary>
public sealed record UnaryExpression(SourcePosition Position, TokenKind Operator, ExpressionNode Operand) : ExpressionNode(Position);
