using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace CivicEdge.Fleet.Server.Tests;

/// <summary>
/// The fleet in-process: the real Program with its embedded MQTT broker on a free loopback port and a LiteDB file in a
/// folder of its own, removed on disposal. Its bootstrap admin key is <see cref="AdminKey"/>, which
/// <c>CreateClient()</c> sends; <see cref="CreateClient(string?)"/> sends another key or none.
/// </summary>
internal sealed class FleetHost : WebApplicationFactory<Program>
{
    /// <summary>A city-wide admin key, configured as the bootstrap key of every test fleet.</summary>
    public const string AdminKey = "ce_testadmin0_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";

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
            ["Fleet:Access:BootstrapKey"] = AdminKey,
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
            _settings[key] = value;
    }

    public int MqttPort { get; }

    /// <summary>A client that sends <paramref name="apiKey"/> as <c>Authorization: Bearer</c>, or no credentials when null.</summary>
    public HttpClient CreateClient(string? apiKey)
    {
        var client = CreateDefaultClient();
        client.DefaultRequestHeaders.Authorization = apiKey is null ? null : new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", apiKey);
        return client;
    }

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

    protected override void ConfigureClient(HttpClient client)
    {
        base.ConfigureClient(client);
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", AdminKey);
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
