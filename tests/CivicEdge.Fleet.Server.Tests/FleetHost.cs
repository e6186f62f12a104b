using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace CivicEdge.Fleet.Server.Tests;

/// <summary>
/// The fleet in-process: the real Program with its embedded MQTT broker on a free loopback port and a LiteDB file in a
/// folder of its own, removed on disposal.
/// </summary>
internal sealed class FleetHost : WebApplicationFactory<Program>
{
    private readonly Dictionary<string, string> _settings;
    private readonly string _directory = Directory.CreateTempSubdirectory("civicedge-fleet-server-").FullName;

    public FleetHost(IReadOnlyDictionary<string, string>? settings = null)
    {
        MqttPort = FreeTcpPort();
        _settings = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["Fleet:Broker:Port"] = MqttPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Fleet:Storage:Path"] = Path.Combine(_directory, "fleet.db"),
            ["Fleet:Broker:ReconnectDelay"] = "00:00:00.200",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
            _settings[key] = value;
    }

    public int MqttPort { get; }

    /// <summary>Starts the host and waits until the fleet's own MQTT client is subscribed.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        _ = Server;
        await Services.GetRequiredService<MqttIngestService>().WhenFirstSubscribedAsync(cancellationToken);
    }

    /// <summary>A port nothing listens on right now: bound by the system, then released for the broker to take.</summary>
    public static int FreeTcpPort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        try
        {
            return ((IPEndPoint)listener.LocalEndpoint).Port;
        }
        finally
        {
            listener.Stop();
        }
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        foreach (var (key, value) in _settings)
            builder.UseSetting(key, value);
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing && Directory.Exists(_directory))
            Directory.Delete(_directory, recursive: true);
    }
}
