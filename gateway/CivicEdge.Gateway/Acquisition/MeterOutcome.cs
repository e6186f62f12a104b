namespace CivicEdge.Gateway.Acquisition;

/// <summary>How one request to a meter ended, in the terms the gateway counts every bus in.</summary>
public enum MeterOutcome
{
    /// <summary>The meter answered with data.</summary>
    Answered,

    /// <summary>
    /// The meter answered that it will not: a DL/T 645 error reply, a CJ/T 188 abnormal reply, an M-Bus application error
    /// (CI 70). Counted like a Modbus exception response.
    /// </summary>
    Refused,

    /// <summary>Bytes arrived but no sound answer among them (checksum, framing, another meter's frame). Counted like a Modbus CRC error.</summary>
    Damaged,

    /// <summary>Nothing arrived in time.</summary>
    Timeout,

    /// <summary>The line could not be opened or broke.</summary>
    LinkFailed,
}
