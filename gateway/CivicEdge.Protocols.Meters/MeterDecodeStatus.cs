namespace CivicEdge.Protocols.Meters;

/// <summary>Where a meter-protocol decoder stands with the bytes it was given.</summary>
public enum MeterDecodeStatus
{
    /// <summary>A whole frame was found; its length says how many bytes it took, preamble included.</summary>
    Complete,

    /// <summary>The bytes so far are a valid beginning; more are needed. Not an error on a byte stream.</summary>
    NeedMoreData,

    /// <summary>The bytes cannot be a frame; the reason says what was expected, what was found and where.</summary>
    Malformed,
}
