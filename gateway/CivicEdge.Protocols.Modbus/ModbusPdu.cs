namespace CivicEdge.Protocols.Modbus;

/// <summary>Limits of the protocol data unit that every Modbus transport shares.</summary>
public static class ModbusPdu
{
    /// <summary>
    /// The largest PDU: 256 bytes of an RTU ADU less the address and the CRC (Modbus Application Protocol V1.1b3 §4.1).
    /// Modbus TCP keeps the same limit so that a gateway can forward every PDU onto a serial line.
    /// </summary>
    public const int MaxLength = 253;

    /// <summary>Most registers one read may ask for (function codes 3 and 4, §6.3 and §6.4: 1..0x007D).</summary>
    public const int MaxReadRegisters = 125;

    /// <summary>Most registers one write may carry (function code 16, §6.12: 1..0x007B).</summary>
    public const int MaxWriteRegisters = 123;

    /// <summary>Most coils or discrete inputs one read may ask for (function codes 1 and 2, §6.1 and §6.2: 1..0x07D0).</summary>
    public const int MaxReadBits = 2000;

    /// <summary>Most coils one write may force (function code 15, §6.11: 1..0x07B0).</summary>
    public const int MaxWriteBits = 1968;

    /// <summary>Most registers function code 23 may read (§6.17: 1..0x007D).</summary>
    public const int MaxReadWriteReadRegisters = 125;

    /// <summary>Most registers function code 23 may write (§6.17: 1..0x0079).</summary>
    public const int MaxReadWriteWriteRegisters = 121;

    /// <summary>The MEI type of read device identification, carried by function code 43 (§6.21).</summary>
    public const byte MeiReadDeviceIdentification = 0x0E;

    /// <summary>Set on the function code of an exception response (§7).</summary>
    public const byte ExceptionFlag = 0x80;
}
