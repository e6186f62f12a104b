namespace CivicEdge.Protocols.Modbus;

/// <summary>The public function codes this stack speaks (Modbus Application Protocol V1.1b3 §5.1).</summary>
public enum ModbusFunctionCode : byte
{
    /// <summary>§6.1: read 1..2000 coils.</summary>
    ReadCoils = 0x01,

    /// <summary>§6.2: read 1..2000 discrete inputs.</summary>
    ReadDiscreteInputs = 0x02,

    /// <summary>§6.3: read a block of holding registers.</summary>
    ReadHoldingRegisters = 0x03,

    /// <summary>§6.4: read a block of input registers.</summary>
    ReadInputRegisters = 0x04,

    /// <summary>§6.5: switch one coil on (0xFF00) or off (0x0000); the response echoes the request.</summary>
    WriteSingleCoil = 0x05,

    /// <summary>§6.6: write one holding register; the response echoes the request.</summary>
    WriteSingleRegister = 0x06,

    /// <summary>§6.11: force 1..1968 coils.</summary>
    WriteMultipleCoils = 0x0F,

    /// <summary>§6.12: write a block of holding registers.</summary>
    WriteMultipleRegisters = 0x10,

    /// <summary>§6.14: read records (16-bit registers) of files, file numbers 1..65535, record numbers 0..9999.</summary>
    ReadFileRecord = 0x14,

    /// <summary>§6.15: write records of files; the response echoes the request.</summary>
    WriteFileRecord = 0x15,

    /// <summary>§6.17: write one block of holding registers, then read another, in one transaction.</summary>
    ReadWriteMultipleRegisters = 0x17,

    /// <summary>
    /// §6.19–§6.21: encapsulated interface transport; this stack speaks its MEI type 14, read device identification
    /// (<see cref="ModbusPdu.MeiReadDeviceIdentification"/>).
    /// </summary>
    EncapsulatedInterfaceTransport = 0x2B,
}
