using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using CivicEdge.Fleet.Contracts.Ledger;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace CivicEdge.Fleet.Server.Tests;

/// <summary>
/// The fleet in-process: the real Program with its embedded MQTT broker on a free loopback port and a LiteDB file in a
/// folder of its own, removed on disposal. Its bootstrap admin key is <see cref="AdminKey"/>, which
/// <c>CreateClient()</c> sends; <see cref="CreateClient(string?)"/> sends another key or none. Tests name devices
/// readably, so the ledger takes any code that is a topic level; the secret hash takes the fewest iterations allowed,
/// which keeps provisioning quick.
/// </summary>
internal sealed class FleetHost : WebApplicationFactory<Program>
{
    /// <summary>A city-wide admin key, configured as the bootstrap key of every test fleet.</summary>
    public const string AdminKey = "ce_testadmin0_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";

    private readonly Dictionary<string, string> _settings;
    private readonly TimeProvider? _timeProvider;
    private readonly string _directory = Directory.CreateTempSubdirectory("civicedge-fleet-server-").FullName;

    /// <param name="settings">Configuration keys over the defaults.</param>
    /// <param name="timeProvider">The clock the fleet runs on; the system's unless given.</param>
    public FleetHost(IReadOnlyDictionary<string, string>? settings = null, TimeProvider? timeProvider = null)
    {
        _timeProvider = timeProvider;
        MqttPort = FreeTcpPort();
        _settings = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["Fleet:Broker:Port"] = MqttPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Fleet:Storage:Path"] = Path.Combine(_directory, "fleet.db"),
            ["Fleet:Broker:ReconnectDelay"] = "00:00:00.200",
            ["Fleet:Access:BootstrapKey"] = AdminKey,
            ["Fleet:Ledger:CodeScheme"] = "topic-level",
            ["Fleet:Security:HashIterations"] = "1000",
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

    /// <summary>The folder holding the fleet's files (store, ledger, security folder).</summary>
    public string DataDirectory => _directory;

    /// <summary>Registers <paramref name="code"/> (unless the ledger has it) and issues it a password; returns the secret.</summary>
    public async Task<string> ProvisionAsync(string code, CancellationToken cancellationToken, DeviceKind kind = DeviceKind.Gateway, string? gateway = null)
    {
        using var http = CreateClient();
        using var registered = await http.PostAsJsonAsync(
            "/api/devices", new DeviceRegistration { Code = code, Kind = kind, Tenant = "test-bureau", Gateway = gateway, By = "test" }, LedgerJson.Default.DeviceRegistration, cancellationToken);
        if (registered.StatusCode != HttpStatusCode.Created && registered.StatusCode != HttpStatusCode.Conflict)
            throw new InvalidOperationException($"Registering {code} answered {registered.StatusCode}: {await registered.Content.ReadAsStringAsync(cancellationToken)}");

        using var issued = await http.PostAsJsonAsync(
            $"/api/devices/{Uri.EscapeDataString(code)}/credentials", new CredentialRequest { By = "test" }, LedgerJson.Default.CredentialRequest, cancellationToken);
        issued.EnsureSuccessStatusCode();
        var credential = await issued.Content.ReadFromJsonAsync(LedgerJson.Default.IssuedCredential, cancellationToken);
        return credential!.Secret!;
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
        if (_timeProvider is not null)
            builder.ConfigureTestServices(services => services.AddSingleton(_timeProvider));
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing && Directory.Exists(_directory))
            Directory.Delete(_directory, recursive: true);
    }
}
