namespace CivicEdge.Protocols.Meters.CjT188;

/// <summary>
/// How a meter sends the two bytes of a data identifier such as 901FH. Vendors differ (some send 90 1F, others 1F 90)
/// and both are in the field, so it is a setting of the meter's profile, never guessed from the reply.
/// </summary>
public enum CjT188IdentifierOrder
{
    /// <summary>90 1F: the identifier as printed, high byte first.</summary>
    HighByteFirst,

    /// <summary>1F 90: low byte first, like every other multi-byte field of the frame.</summary>
    LowByteFirst,
}
