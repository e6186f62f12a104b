using CivicEdge.Modbus;

namespace CivicEdge.Simulators.Host;

/// <summary>The one server <c>civicsim modbus</c> runs, whichever transport it speaks.</summary>
internal sealed class ServedBus : IAsyncDisposable
{
    private readonly ModbusTcpServer? _tcp;
    private readonly ModbusRtuSlave? _rtu;
    private readonly ModbusRtuOverTcpServer? _rtuOverTcp;

    public ServedBus(ModbusTcpServer server) => _tcp = server;

    public ServedBus(ModbusRtuSlave slave) => _rtu = slave;

    public ServedBus(ModbusRtuOverTcpServer server) => _rtuOverTcp = server;

    /// <summary>Starts serving; returns the endpoint for the ready line: HOST:PORT, or the serial device's path.</summary>
    public async Task<string> StartAsync(CancellationToken cancellationToken)
    {
        if (_tcp is not null)
        {
            await _tcp.StartAsync(cancellationToken);
            return _tcp.LocalEndPoint.ToString();
        }

        if (_rtuOverTcp is not null)
        {
            await _rtuOverTcp.StartAsync(cancellationToken);
            return _rtuOverTcp.LocalEndPoint.ToString();
        }

        await _rtu!.StartAsync(cancellationToken);
        return _rtu.Path;
    }

    public async ValueTask DisposeAsync()
    {
        if (_tcp is not null)
            await _tcp.DisposeAsync();
        if (_rtu is not null)
            await _rtu.DisposeAsync();
        if (_rtuOverTcp is not null)
            await _rtuOverTcp.DisposeAsync();
    }
}
