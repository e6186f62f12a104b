namespace CivicEdge.Gateway.Configuration;

/// <summary>A bus as the gateway opens it: what kind (Modbus or a meter line), where, and how patiently its master waits.</summary>
/// <param name="Id">The bus's name; for a device configured with only an <c>Endpoint</c>, the endpoint itself.</param>
/// <param name="Kind">How the bus carries Modbus.</param>
/// <param name="Endpoint">The TCP endpoint of a <see cref="BusKind.Tcp"/> or <see cref="BusKind.RtuOverTcp"/> bus, or of a meter line's converter.</param>
/// <param name="Serial">The serial settings of a <see cref="BusKind.Rtu"/> bus or of a meter line on a local port.</param>
/// <param name="ResponseTimeout">How long one attempt waits; the master's default when null.</param>
/// <param name="Retries">Further attempts after a failed one; when null, the TCP master's default on a TCP bus and none on a serial bus.</param>
/// <param name="TurnaroundDelay">The pause between transactions on a serial bus; none when null.</param>
/// <param name="LineBaud">The serial speed behind an <see cref="BusKind.RtuOverTcp"/> converter (for the RTU silent intervals) or a meter line's converter.</param>
public sealed record ModbusLink(
    string Id,
    BusKind Kind,
    DeviceEndpoint? Endpoint,
    SerialLine? Serial,
    TimeSpan? ResponseTimeout = null,
    int? Retries = null,
    TimeSpan? TurnaroundDelay = null,
    int? LineBaud = null)
{
    /// <summary>
    /// True when the link is one serial line, on which a second request before the first answer would collide
    /// (Modbus over Serial Line V1.02 §2.1: the master issues one request at a time).
    /// </summary>
    public bool IsHalfDuplex => Kind != BusKind.Tcp;

    /// <summary>True for an M-Bus, CJ/T 188 or DL/T 645 line.</summary>
    public bool IsMeterLine => Kind is BusKind.MBus or BusKind.CjT188 or BusKind.Dlt645;

    /// <summary>A Modbus TCP link to <paramref name="endpoint"/>, named after it.</summary>
    public static ModbusLink Tcp(DeviceEndpoint endpoint)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        return new ModbusLink(endpoint.ToString(), BusKind.Tcp, endpoint, null);
    }

    public override string ToString() => Kind switch
    {
        BusKind.Rtu => $"{Id} (rtu {Serial})",
        BusKind.RtuOverTcp => $"{Id} (rtu-over-tcp {Endpoint})",
        BusKind.MBus or BusKind.CjT188 or BusKind.Dlt645 => $"{Id} ({BusPlan.KindName(Kind)} {(Serial is null ? Endpoint!.ToString() : Serial.ToString())})",
        _ => Id == Endpoint?.ToString() ? Id : $"{Id} (tcp {Endpoint})",
    };
}
