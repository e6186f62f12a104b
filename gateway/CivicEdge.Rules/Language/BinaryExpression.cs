namespace CivicEdge.Rules.Language;

/// <summary>An arithmetic, comparison or logical operation of two operands.</summary>
public sealed record BinaryExpression(SourcePosition Position, TokenKind Operator, ExpressionNode Left, ExpressionNode Right) : ExpressionNode(Position);
