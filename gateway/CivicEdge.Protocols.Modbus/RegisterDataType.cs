namespace CivicEdge.Protocols.Modbus;

/// <summary>How a value is laid out across one or more 16-bit registers.</summary>
public enum RegisterDataType
{
    Int16,
    UInt16,
    Int32,
    UInt32,
    Int64,
    Float32,
    Float64,

    /// <summary>Four decimal digits in one register, one per nibble, most significant first (0..9999).</summary>
    Bcd16,

    /// <summary>Eight decimal digits in two registers (0..99999999); the words follow the <see cref="RegisterOrder"/>.</summary>
    Bcd32,
}
