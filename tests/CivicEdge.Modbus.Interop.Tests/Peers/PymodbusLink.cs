namespace CivicEdge.Modbus.Interop.Tests.Peers;

/// <summary>How pymodbus is reached: the three links a gateway meets in the field.</summary>
public enum PymodbusLink
{
    /// <summary>Modbus TCP: MBAP header and PDU.</summary>
    Tcp,

    /// <summary>RTU frames (address, PDU, CRC) on a TCP stream, as serial-to-Ethernet converters pass them on.</summary>
    RtuOverTcp,

    /// <summary>Modbus RTU on a serial line: one end of a socat pty pair.</summary>
    Rtu,
}
