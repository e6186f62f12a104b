namespace CivicEdge.Gateway.Configuration;

/// <summary>What a bus speaks and how it is reached.</summary>
public enum BusKind
{
    /// <summary>Modbus TCP (MBAP framing); several transactions may be in flight at once.</summary>
    Tcp,

    /// <summary>Modbus RTU on a local serial port; half duplex, one transaction at a time.</summary>
    Rtu,

    /// <summary>Modbus RTU frames carried over TCP by a serial-to-Ethernet converter; still one serial bus behind it.</summary>
    RtuOverTcp,

    /// <summary>
    /// M-Bus (EN 13757-2/-3) on a local serial port through a level converter, or through a transparent serial-to-TCP
    /// converter; half duplex.
    /// </summary>
    MBus,

    /// <summary>CJ/T 188-2004 water and gas meters, on a serial port or through a transparent converter; half duplex.</summary>
    CjT188,

    /// <summary>DL/T 645 (2007 or 1997) electricity meters, on a serial port or through a transparent converter; half duplex.</summary>
    Dlt645,
}
