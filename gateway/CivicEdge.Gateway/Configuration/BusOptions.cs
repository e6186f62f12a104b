namespace CivicEdge.Gateway.Configuration;

/// <summary>
/// One entry of the <c>Buses</c> array: a Modbus link or a meter line (M-Bus, CJ/T 188, DL/T 645) that devices name in
/// their <c>Bus</c> key. A serial bus (and a serial bus behind a serial-to-Ethernet converter) carries one transaction at
/// a time, so its devices take turns.
/// </summary>
public sealed class BusOptions
{
    /// <summary>The name devices use to refer to the bus, e.g. <c>rs485-1</c>.</summary>
    public string Id { get; set; } = string.Empty;

    /// <summary>
    /// <c>tcp</c> (Modbus TCP), <c>rtu</c> (a local serial port), <c>rtu-over-tcp</c> (RTU frames through a converter),
    /// or a meter line <c>mbus</c>, <c>cjt188</c> or <c>dlt645</c>, on a local serial port (<see cref="Path"/>) or through
    /// a transparent serial-to-TCP converter (<see cref="Endpoint"/>).
    /// </summary>
    public string Kind { get; set; } = string.Empty;

    /// <summary>Where a <c>tcp</c> or <c>rtu-over-tcp</c> bus, or a meter line's converter, answers, as <c>tcp://host:port</c>.</summary>
    public string? Endpoint { get; set; }

    /// <summary>The serial port of an <c>rtu</c> bus or a meter line, e.g. <c>/dev/ttyUSB0</c>.</summary>
    public string? Path { get; set; }

    /// <summary>
    /// Bits per second of the serial line (behind the converter, for one over TCP). When absent, 9600 for Modbus and 2400
    /// for meter lines, the usual speed of M-Bus, CJ/T 188 and DL/T 645-2007 meters (DL/T 645-1997 meters often use 1200).
    /// </summary>
    public int? Baud { get; set; }

    /// <summary><c>N</c>, <c>E</c> or <c>O</c>; Modbus over Serial Line V1.02 §2.5.1 makes even parity the default.</summary>
    public string Parity { get; set; } = "E";

    /// <summary>7 or 8; RTU and the meter protocols need 8.</summary>
    public int DataBits { get; set; } = 8;

    /// <summary>1 or 2.</summary>
    public int StopBits { get; set; } = 1;

    /// <summary>How long one attempt waits for its answer; the master's default when absent.</summary>
    public TimeSpan? ResponseTimeout { get; set; }

    /// <summary>
    /// Further attempts after a failed one; when absent, the TCP master's default on a <c>tcp</c> bus and none on a
    /// serial bus, where a retry for one silent device would hold up all the others.
    /// </summary>
    public int? Retries { get; set; }

    /// <summary>The pause after a transaction before the next request, for RS-485 transceivers that switch direction slowly.</summary>
    public TimeSpan? TurnaroundDelay { get; set; }
}
