using CivicEdge.Modbus;
using CivicEdge.Transports;

namespace CivicEdge.Fleet.Cli.Modbus;

/// <summary>Where and how patiently the CLI talks Modbus, as the common options of <c>civic modbus</c> gave it.</summary>
/// <param name="Kind">TCP, RTU or RTU over TCP.</param>
/// <param name="Target">Host name for TCP links, device path for RTU.</param>
/// <param name="Port">TCP port; 0 for RTU.</param>
/// <param name="Serial">
/// Line settings for RTU on a serial port; for RTU over TCP only the baud rate of the line behind the converter, which
/// sets the silent interval t3.5; null for Modbus TCP.
/// </param>
/// <param name="Unit">The unit identifier (slave address) to talk to.</param>
/// <param name="Timeout">How long one attempt waits for its response.</param>
/// <param name="Retries">Further attempts after a timeout or a broken answer.</param>
public sealed record ModbusLink(ModbusLinkKind Kind, string Target, int Port, SerialChannelOptions? Serial, byte Unit, TimeSpan Timeout, int Retries)
{
    /// <summary>A slow network or converter may take longer to connect than a device takes to answer.</summary>
    private static readonly TimeSpan MinConnectTimeout = TimeSpan.FromSeconds(1);

    /// <summary>The link for people: <c>tcp 10.0.0.5:502 unit 1</c>.</summary>
    public override string ToString() => Kind switch
    {
        ModbusLinkKind.Tcp => $"tcp {Target}:{Port}",
        ModbusLinkKind.RtuOverTcp => $"rtu-over-tcp {Target}:{Port}",
        _ => $"rtu {Serial}",
    };

    /// <summary>A master for this link; it connects on its first transaction.</summary>
    public IModbusMaster CreateMaster(TimeProvider timeProvider)
    {
        var connectTimeout = Timeout > MinConnectTimeout ? Timeout : MinConnectTimeout;
        return Kind switch
        {
            ModbusLinkKind.Tcp => new ModbusTcpMaster(
                new ModbusTcpMasterOptions { Host = Target, Port = Port, ConnectTimeout = connectTimeout, ResponseTimeout = Timeout, Retries = Retries },
                timeProvider),
            ModbusLinkKind.RtuOverTcp => ModbusRtuMaster.OverTcp(
                Target, Port, new ModbusRtuMasterOptions { ResponseTimeout = Timeout, Retries = Retries, BaudRate = Serial?.BaudRate ?? 9600 },
                connectTimeout, timeProvider),
            _ => ModbusRtuMaster.OverSerial(
                Serial!, new ModbusRtuMasterOptions { ResponseTimeout = Timeout, Retries = Retries, BaudRate = Serial!.BaudRate }, timeProvider),
        };
    }
}
