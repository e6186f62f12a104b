namespace CivicEdge.MBus;

/// <summary>How a request on the bus ended.</summary>
public enum MbusOutcome
{
    /// <summary>The slave answered as expected.</summary>
    Ok,

    /// <summary>No answer within the timeout, after the retries.</summary>
    Timeout,

    /// <summary>Answers arrived but were damaged (checksum, framing) or not the kind asked for, after the retries.</summary>
    Malformed,

    /// <summary>More than one slave answered a selection or a wildcard search: their answers collided.</summary>
    Collision,

    /// <summary>The link could not be opened or broke.</summary>
    TransportFailure,
}
