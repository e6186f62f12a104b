namespace CivicEdge.Meters;

/// <summary>Why a master got no usable answer from a meter.</summary>
public enum MeterFailure
{
    /// <summary>Not a failure: the meter answered.</summary>
    None,

    /// <summary>Nothing arrived in time.</summary>
    NoAnswer,

    /// <summary>Bytes arrived but no sound answer among them: a bad checksum, a truncated frame, garbage, another meter's frame.</summary>
    Damaged,

    /// <summary>The meter answered that it will not (a CJ/T 188 abnormal reply, a DL/T 645 error reply to read address).</summary>
    Refused,

    /// <summary>The link closed while the master waited.</summary>
    LinkClosed,
}
