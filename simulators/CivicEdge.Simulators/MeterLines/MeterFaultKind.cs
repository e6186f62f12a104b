namespace CivicEdge.Simulators.MeterLines;

/// <summary>What a simulated meter line does wrong instead of answering properly.</summary>
public enum MeterFaultKind
{
    /// <summary>The meter does not answer.</summary>
    NoAnswer,

    /// <summary>The answer arrives with its checksum byte wrong.</summary>
    BadChecksum,

    /// <summary>Random bytes arrive instead of the answer.</summary>
    Garbage,

    /// <summary>Only the first half of the answer arrives.</summary>
    Truncated,

    /// <summary>The answer comes from another address than the one asked.</summary>
    WrongAddress,

    /// <summary>
    /// The meter refuses: a DL/T 645 abnormal reply (error byte), a CJ/T 188 abnormal reply (control with D6 set), an
    /// M-Bus application error telegram (CI 70).
    /// </summary>
    Refusal,

    /// <summary>The answer arrives after a delay, e.g. later than the master waits.</summary>
    Late,

    /// <summary>The meter disappears this long after start and stays silent.</summary>
    Gone,
}
