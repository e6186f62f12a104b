namespace CivicEdge.Rules.Language;

/// <summary>A quoted string, e.g. a device name that is not a plain identifier: <c>is_stale("meter")</c>.</summary>
public sealed record StringLiteral(SourcePosition Position, string Value) : ExpressionNode(Position);
