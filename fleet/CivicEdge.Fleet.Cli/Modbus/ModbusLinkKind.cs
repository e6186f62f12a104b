namespace CivicEdge.Fleet.Cli.Modbus;

/// <summary>How the CLI reaches the Modbus devices.</summary>
public enum ModbusLinkKind
{
    /// <summary>Modbus TCP (MBAP) to a device or a TCP gateway.</summary>
    Tcp,

    /// <summary>Modbus RTU on a local serial port (RS-485 adapter, or a pty in tests).</summary>
    Rtu,

    /// <summary>RTU frames carried over TCP, as transparent serial-to-Ethernet converters pass them on.</summary>
    RtuOverTcp,
}
