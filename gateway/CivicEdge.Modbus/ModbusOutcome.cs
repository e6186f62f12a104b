namespace CivicEdge.Modbus;

/// <summary>How one Modbus transaction ended, as seen by the master.</summary>
public enum ModbusOutcome
{
    /// <summary>The slave answered with the data asked for.</summary>
    Ok,

    /// <summary>The slave answered with an exception response; see <see cref="ModbusResult.ExceptionCode"/>.</summary>
    Exception,

    /// <summary>No complete answer within the response timeout (after any retries).</summary>
    Timeout,

    /// <summary>The answer arrived but was malformed (bad CRC, wrong unit, wrong function, wrong length).</summary>
    Malformed,

    /// <summary>The link could not be opened or broke during the transaction.</summary>
    TransportError,
}
