namespace CivicEdge.Simulators.Host;

/// <summary>How <c>civicsim modbus</c> exposes its devices.</summary>
internal enum ModbusTransport
{
    /// <summary>Modbus TCP (MBAP) on a TCP port.</summary>
    Tcp,

    /// <summary>Modbus RTU on a serial device or pty, paced at the baud rate.</summary>
    Rtu,

    /// <summary>RTU frames on a TCP port, as a serial-to-Ethernet converter carries them.</summary>
    RtuOverTcp,
}
