namespace CivicEdge.Transports;

/// <summary>
/// The parity bit of each serial character. Modbus requires even parity by default and allows odd or none
/// (MODBUS over Serial Line Specification V1.02 §2.5.1).
/// </summary>
public enum SerialParity
{
    /// <summary>N: no parity bit; the specification then asks for two stop bits, though many devices use one.</summary>
    None,

    /// <summary>E: even parity, the Modbus default.</summary>
    Even,

    /// <summary>O: odd parity.</summary>
    Odd,
}
