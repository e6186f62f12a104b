using CivicEdge.Gateway.Configuration;
using CivicEdge.Transports;
using Microsoft.Extensions.Logging;

namespace CivicEdge.Gateway.Acquisition;

/// <summary>
/// Opens a meter line on a local serial port (M-Bus through a level converter, CJ/T 188 and DL/T 645 on RS-485 or
/// M-Bus) or over TCP to a transparent serial-to-Ethernet converter.
/// </summary>
public sealed class MeterBusFactory(TimeProvider timeProvider, ILoggerFactory loggerFactory) : IMeterBusFactory
{
    /// <summary>How long to wait for a converter to accept the connection.</summary>
    public static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(5);

    public MeterBus Create(ModbusLink link)
    {
        ArgumentNullException.ThrowIfNull(link);
        IByteChannel channel = link.Serial is { } serial
            ? new SerialChannel(
                new SerialChannelOptions
                {
                    Path = serial.Path,
                    BaudRate = serial.Baud,
                    DataBits = serial.DataBits,
                    StopBits = serial.StopBits,
                    Parity = serial.Parity switch
                    {
                        'N' => SerialParity.None,
                        'O' => SerialParity.Odd,
                        _ => SerialParity.Even,
                    },
                },
                timeProvider)
            : new TcpClientChannel(link.Endpoint!.Host, link.Endpoint.Port, ConnectTimeout, timeProvider);
        return new MeterBus(link, channel, timeProvider, loggerFactory);
    }
}
