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
}
