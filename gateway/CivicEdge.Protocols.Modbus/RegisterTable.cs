namespace CivicEdge.Protocols.Modbus;

/// <summary>The four primary tables of the Modbus data model (Modbus Application Protocol V1.1b3 §4.3).</summary>
public enum RegisterTable
{
    /// <summary>Single-bit, read-write (function codes 1, 5, 15).</summary>
    Coils,

    /// <summary>Single-bit, read-only (function code 2).</summary>
    DiscreteInputs,

    /// <summary>16-bit, read-write (function codes 3, 6, 16, 23).</summary>
    HoldingRegisters,

    /// <summary>16-bit, read-only (function code 4).</summary>
    InputRegisters,
}
