using CivicEdge.Fleet.Contracts;

namespace CivicEdge.Fleet.Core;

/// <summary>
/// How stores keep a sample's quality: a fixed small number per quality, independent of the order of the
/// <see cref="Quality"/> enum, so that reordering the enum never reinterprets stored data.
/// </summary>
public static class QualityCodes
{
    public const short Good = 0;
    public const short Stale = 1;
    public const short CommError = 2;
    public const short OutOfRange = 3;

    /// <summary>The codes of samples that count in aggregates (see <see cref="BucketAccumulator.Counts"/>).</summary>
    public static IReadOnlyList<short> Counted { get; } = [Good, OutOfRange];

    public static short ToCode(Quality quality) => quality switch
    {
        Quality.Good => Good,
        Quality.Stale => Stale,
        Quality.CommError => CommError,
        Quality.OutOfRange => OutOfRange,
        _ => throw new ArgumentOutOfRangeException(nameof(quality), quality, "Not a known quality."),
    };

    public static Quality FromCode(short code) => code switch
    {
        Good => Quality.Good,
        Stale => Quality.Stale,
        CommError => Quality.CommError,
        OutOfRange => Quality.OutOfRange,
        _ => throw new InvalidDataException($"Quality code {code} in the fleet store is not one this version knows (0 to 3)."),
    };
}
