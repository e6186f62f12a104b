namespace CivicEdge.Protocols.MBus;

/// <summary>Where a decoder stands with the bytes it was given.</summary>
public enum MbusDecodeStatus
{
    /// <summary>A whole frame was found; its length says how many bytes it took.</summary>
    Complete,

    /// <summary>The bytes so far are a valid beginning; more are needed. Not an error on a byte stream.</summary>
    NeedMoreData,

    /// <summary>The bytes cannot be a frame; the error says what was expected, what was found and where.</summary>
    Malformed,
}
