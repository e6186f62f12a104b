namespace CivicEdge.Rules.Language;

/// <summary>A bare name: a device, as the argument of <c>is_stale(meter)</c>.</summary>
public sealed record NameReference(SourcePosition Position, string Name) : ExpressionNode(Position);
