using System.Net;
using CivicEdge.Modbus;

namespace CivicEdge.Fleet.Cli.Tests.Modbus;

/// <summary>A real <see cref="ModbusTcpServer"/> on an OS-chosen loopback port serving the given units.</summary>
internal sealed class ModbusTestServer : IAsyncDisposable
{
    private readonly ModbusTcpServer _server;

    private ModbusTestServer(Dictionary<byte, RegisterBank> units)
    {
        Units = units;
        _server = new ModbusTcpServer(new IPEndPoint(IPAddress.Loopback, 0), unit => units.GetValueOrDefault(unit));
    }

    public IReadOnlyDictionary<byte, RegisterBank> Units { get; }

    public RegisterBank Bank => Units[1];

    /// <summary>The value for <c>--tcp</c>.</summary>
    public string Endpoint => $"127.0.0.1:{_server.LocalEndPoint.Port}";

    public static async Task<ModbusTestServer> StartAsync(params byte[] unitIds)
    {
        var server = new ModbusTestServer((unitIds.Length == 0 ? [1] : unitIds).ToDictionary(u => u, _ => new RegisterBank()));
        await server._server.StartAsync(CancellationToken.None);
        return server;
    }

    public ValueTask DisposeAsync() => _server.DisposeAsync();
}
