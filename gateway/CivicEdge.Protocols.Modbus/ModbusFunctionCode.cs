namespace CivicEdge.Protocols.Modbus;

/// <summary>The public function codes this stack speaks (Modbus Application Protocol V1.1b3 §5.1).</summary>
public enum ModbusFunctionCode : byte
{
    /// <summary>§6.3: read a block of holding registers.</summary>
    ReadHoldingRegisters = 0x03,

    /// <summary>§6.4: read a block of input registers.</summary>
    ReadInputRegisters = 0x04,

    /// <summary>§6.6: write one holding register; the response echoes the request.</summary>
    WriteSingleRegister = 0x06,

    /// <summary>§6.12: write a block of holding registers.</summary>
    WriteMultipleRegisters = 0x10,
}
