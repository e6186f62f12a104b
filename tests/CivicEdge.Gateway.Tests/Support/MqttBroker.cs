using System.Net;
using System.Net.Sockets;
using MQTTnet.Server;

namespace CivicEdge.Gateway.Tests.Support;

/// <summary>
/// An MQTTnet broker in the test process on a loopback port. MQTTnet does not report the port it bound, so a free
/// port is found by binding port 0 first; a start that loses the race for it tries another.
/// </summary>
internal sealed class MqttBroker : IAsyncDisposable
{
    private MqttServer? _server;

    private MqttBroker(int port) => Port = port;

    public int Port { get; }

    public MqttServer Server => _server ?? throw new InvalidOperationException("The broker is stopped.");

    public static async Task<MqttBroker> StartAsync()
    {
        for (var attempt = 1; ; attempt++)
        {
            var broker = new MqttBroker(FreePort());
            try
            {
                await broker.RestartAsync();
                return broker;
            }
            catch (SocketException) when (attempt < 5)
            {
                await broker.DisposeAsync();
            }
        }
    }

    /// <summary>Starts the broker (again) on the same port, with no sessions and no retained messages.</summary>
    public async Task RestartAsync()
    {
        var options = new MqttServerOptionsBuilder()
            .WithDefaultEndpoint()
            .WithDefaultEndpointBoundIPAddress(IPAddress.Loopback)
            .WithDefaultEndpointBoundIPV6Address(IPAddress.None)
            .WithDefaultEndpointPort(Port)
            .WithDefaultEndpointReuseAddress()
            .Build();
        var server = new MqttServerFactory().CreateMqttServer(options);
        try
        {
            await server.StartAsync();
        }
        catch
        {
            server.Dispose();
            throw;
        }

        _server = server;
    }

    public async Task StopAsync()
    {
        if (_server is null)
            return;
        await _server.StopAsync();
        _server.Dispose();
        _server = null;
    }

    public async ValueTask DisposeAsync() => await StopAsync();

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
