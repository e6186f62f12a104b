namespace CivicEdge.Protocols.Meters;

/// <summary>The kind of fault in a malformed DL/T 645 or CJ/T 188 frame.</summary>
public enum MeterFrameError
{
    None,

    /// <summary>A start character 68H (or FEH preamble) was expected and another byte was found.</summary>
    InvalidStart,

    /// <summary>The length byte L is beyond what the standard allows, or too short for the frame's function.</summary>
    InvalidLength,

    /// <summary>The address field holds a nibble that is neither a BCD digit nor the AH wildcard.</summary>
    InvalidAddress,

    /// <summary>The checksum CS is not the modulo-256 sum of the bytes from the first 68H.</summary>
    ChecksumMismatch,

    /// <summary>The end character 16H was expected and another byte was found.</summary>
    InvalidEnd,
}
