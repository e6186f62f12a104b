namespace CivicEdge.Fleet.Cli.Modbus;

/// <summary>How <c>civic modbus read|write</c> interprets registers: the profile data types plus BCD and text.</summary>
public enum ModbusValueType
{
    UInt16,
    Int16,
    UInt32,
    Int32,
    Int64,
    Float32,
    Float64,

    /// <summary>Four decimal digits, one per nibble, in one register (e.g. 0x1234 is 1234).</summary>
    Bcd16,

    /// <summary>Eight decimal digits in two registers.</summary>
    Bcd32,

    /// <summary>Two characters per register; COUNT is the number of registers.</summary>
    String,
}
