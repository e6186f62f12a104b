namespace CivicEdge.Rules.Language;

/// <summary><c>device.point</c>: the latest value of a point of a device the rule set names.</summary>
public sealed record PointReference(SourcePosition Position, string Device, string Point) : ExpressionNode(Position)
{
    public override string ToString() => $"{Device}.{Point}";
}
