namespace CivicEdge.Gateway.Configuration;

/// <summary>How a bus carries Modbus.</summary>
public enum BusKind
{
    /// <summary>Modbus TCP (MBAP framing); several transactions may be in flight at once.</summary>
    Tcp,

    /// <summary>Modbus RTU on a local serial port; half duplex, one transaction at a time.</summary>
    Rtu,

    /// <summary>Modbus RTU frames carried over TCP by a serial-to-Ethernet converter; still one serial bus behind it.</summary>
    RtuOverTcp,
}
