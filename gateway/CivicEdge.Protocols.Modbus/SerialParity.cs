namespace CivicEdge.Protocols.Modbus;

/// <summary>
/// The parity bit of a serial character (MODBUS over Serial Line V1.02 §2.5.1: even parity is the default; no parity
/// requires two stop bits so that every character keeps 11 bits).
/// </summary>
public enum SerialParity
{
    None,
    Odd,
    Even,
}
