namespace CivicEdge.Meters;

internal enum MeterFrameVerdictKind
{
    /// <summary>The answer awaited: take these bytes.</summary>
    Accept,

    /// <summary>A valid beginning: wait for more bytes.</summary>
    NeedMoreData,

    /// <summary>Noise, an echo of the request or another meter's frame: drop these bytes and look again.</summary>
    Skip,
}
