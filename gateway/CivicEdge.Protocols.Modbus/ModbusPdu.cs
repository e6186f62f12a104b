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

    /// <summary>Set on the function code of an exception response (§7).</summary>
    public const byte ExceptionFlag = 0x80;
}
