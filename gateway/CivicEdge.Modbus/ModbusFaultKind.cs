namespace CivicEdge.Modbus;

/// <summary>
/// The misbehaviour a simulated slave can show instead of a clean answer, the dirt that masters meet on real buses.
/// </summary>
public enum ModbusFaultKind
{
    /// <summary>The request is lost: nothing is executed and nothing is answered, as when the slave did not hear it.</summary>
    NoAnswer,

    /// <summary>The answer goes out after <see cref="ModbusFaultRule.Delay"/>, past a master's timeout if it is long enough.</summary>
    LateAnswer,

    /// <summary>
    /// The answer's CRC is wrong, as after a bit error on the line (MODBUS over Serial Line V1.02 §2.5.1.2).
    /// Only serial framing carries a CRC; a Modbus TCP server answers normally.
    /// </summary>
    CrcError,

    /// <summary>The answer carries another unit identifier than the one asked for.</summary>
    WrongUnit,

    /// <summary>The request is refused with <see cref="ModbusFaultRule.ExceptionCode"/> instead of being executed.</summary>
    Exception,

    /// <summary><see cref="ModbusFaultRule.GarbageLength"/> random bytes go out just before the answer.</summary>
    Garbage,

    /// <summary>The answer is sent twice.</summary>
    SecondAnswer,
}
