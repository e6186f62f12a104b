using CivicEdge.Gateway.Configuration;
using CivicEdge.Modbus;
using CivicEdge.Transports;
using Microsoft.Extensions.Logging;
using LineParity = CivicEdge.Transports.SerialParity;

namespace CivicEdge.Gateway.Acquisition;

/// <summary>
/// Creates the master for a bus: Modbus TCP, Modbus RTU on a local serial port, or RTU frames over TCP to a
/// serial-to-Ethernet converter, with the bus's timeouts, retries and turnaround delay, or the link's defaults.
/// </summary>
public sealed class ModbusMasterFactory(TimeProvider timeProvider, ILoggerFactory loggerFactory) : IModbusMasterFactory
{
    /// <summary>The serial speed assumed behind a converter, for the RTU silent intervals, when the bus does not say.</summary>
    public const int DefaultConverterBaud = 9600;

    public IModbusMaster Create(ModbusLink link)
    {
        ArgumentNullException.ThrowIfNull(link);
        return link.Kind switch
        {
            BusKind.Rtu => ModbusRtuMaster.OverSerial(Line(link), RtuOptions(link, link.Serial!.Baud), timeProvider, loggerFactory.CreateLogger<ModbusRtuMaster>()),
            BusKind.RtuOverTcp => ModbusRtuMaster.OverTcp(
                link.Endpoint!.Host, link.Endpoint.Port, RtuOptions(link, link.LineBaud ?? DefaultConverterBaud), timeProvider: timeProvider,
                logger: loggerFactory.CreateLogger<ModbusRtuMaster>()),
            _ => new ModbusTcpMaster(TcpOptions(link), timeProvider, loggerFactory.CreateLogger<ModbusTcpMaster>()),
        };
    }

    private static ModbusTcpMasterOptions TcpOptions(ModbusLink link)
    {
        var options = new ModbusTcpMasterOptions { Host = link.Endpoint!.Host, Port = link.Endpoint.Port };
        if (link.ResponseTimeout is { } timeout)
            options.ResponseTimeout = timeout;
        if (link.Retries is { } retries)
            options.Retries = retries;
        return options;
    }

    private static ModbusRtuMasterOptions RtuOptions(ModbusLink link, int baud)
    {
        // No retries unless the bus asks for them: on a half-duplex bus a retry for a silent device holds up every
        // other device, and the scheduler's next poll is the retry.
        var options = new ModbusRtuMasterOptions { BaudRate = baud, Retries = link.Retries ?? 0 };
        if (link.ResponseTimeout is { } timeout)
            options.ResponseTimeout = timeout;
        if (link.TurnaroundDelay is { } turnaround)
            options.TurnaroundDelay = turnaround;
        return options;
    }

    private static SerialChannelOptions Line(ModbusLink link)
    {
        var serial = link.Serial!;
        return new SerialChannelOptions
        {
            Path = serial.Path,
            BaudRate = serial.Baud,
            DataBits = serial.DataBits,
            StopBits = serial.StopBits,
            Parity = serial.Parity switch
            {
                'N' => LineParity.None,
                'O' => LineParity.Odd,
                _ => LineParity.Even,
            },
        };
    }
}
