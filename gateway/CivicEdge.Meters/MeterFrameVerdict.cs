namespace CivicEdge.Meters;

/// <summary>What a master makes of the bytes at the front of its receive buffer.</summary>
internal readonly record struct MeterFrameVerdict(MeterFrameVerdictKind Kind, int Length, string? Reason = null)
{
    public static MeterFrameVerdict Accept(int length) => new(MeterFrameVerdictKind.Accept, length);

    public static MeterFrameVerdict NeedMoreData { get; } = new(MeterFrameVerdictKind.NeedMoreData, 0);

    public static MeterFrameVerdict Skip(int length, string reason) => new(MeterFrameVerdictKind.Skip, length, reason);
}
