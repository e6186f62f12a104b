namespace CivicEdge.Protocols.Modbus;

/// <summary>
/// The order of bytes of a multi-register value, named by where the most significant byte A lands.
/// Modbus itself only fixes big-endian bytes within one register (§4.2); devices disagree about the rest.
/// </summary>
public enum RegisterOrder
{
    /// <summary>Big-endian words, big-endian bytes (most devices, e.g. Eastron SDM series).</summary>
    ABCD,

    /// <summary>Little-endian words, big-endian bytes ("word swap", common on Schneider and many PLCs).</summary>
    CDAB,

    /// <summary>Big-endian words, little-endian bytes ("byte swap").</summary>
    BADC,

    /// <summary>Little-endian words, little-endian bytes.</summary>
    DCBA,
}
