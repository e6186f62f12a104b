using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using CivicEdge.Fleet.Contracts.Ledger;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace CivicEdge.Firmware.Core.Tests.Support;

/// <summary>
/// The real fleet in process (its Program, embedded MQTT broker on a free loopback port, LiteDB in a folder of its own
/// removed on disposal), with a bootstrap admin key that <c>CreateClient()</c> sends. Devices are provisioned through
/// its ledger API as an installer would: registered, then issued a password credential for the broker.
/// </summary>
internal sealed class FleetUnderTest : WebApplicationFactory<Program>
{
    private const string AdminKey = "ce_testadmin0_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";

    private readonly string _directory = Directory.CreateTempSubdirectory("civicedge-firmware-fleet-").FullName;

    public FleetUnderTest()
    {
        MqttPort = FreeTcpPort();
    }

    public int MqttPort { get; }

    /// <summary>Starts the fleet and waits until it reports itself healthy (its ingest subscribed to the broker).</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        using var http = CreateClient();
        while (true)
        {
            using var response = await http.GetAsync("/healthz", cancellationToken);
            if (response.StatusCode == HttpStatusCode.OK)
                return;
            await Task.Delay(50, cancellationToken);
        }
    }

    /// <summary>Registers <paramref name="code"/> as a pole controller with its own uplink and issues it a password; returns the secret.</summary>
    public async Task<string> ProvisionAsync(string code, CancellationToken cancellationToken)
    {
        using var http = CreateClient();
        using var registered = await http.PostAsJsonAsync(
            "/api/devices", new DeviceRegistration { Code = code, Kind = DeviceKind.PoleController, Tenant = "test-bureau", By = "test" }, LedgerJson.Default.DeviceRegistration, cancellationToken);
        if (registered.StatusCode != HttpStatusCode.Created)
            throw new InvalidOperationException($"Registering {code} answered {registered.StatusCode}: {await registered.Content.ReadAsStringAsync(cancellationToken)}");

        using var issued = await http.PostAsJsonAsync(
            $"/api/devices/{Uri.EscapeDataString(code)}/credentials", new CredentialRequest { By = "test" }, LedgerJson.Default.CredentialRequest, cancellationToken);
        issued.EnsureSuccessStatusCode();
        var credential = await issued.Content.ReadFromJsonAsync(LedgerJson.Default.IssuedCredential, cancellationToken);
        return credential!.Secret!;
    }

    protected override void ConfigureClient(HttpClient client)
    {
        base.ConfigureClient(client);
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", AdminKey);
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("Fleet:Broker:Port", MqttPort.ToString(System.Globalization.CultureInfo.InvariantCulture));
        builder.UseSetting("Fleet:Storage:Path", Path.Combine(_directory, "fleet.db"));
        builder.UseSetting("Fleet:Broker:ReconnectDelay", "00:00:00.200");
        builder.UseSetting("Fleet:Access:BootstrapKey", AdminKey);
        builder.UseSetting("Fleet:Ledger:CodeScheme", "topic-level");

        // The fewest iterations the fleet allows: provisioning stays quick, the hash is still checked.
        builder.UseSetting("Fleet:Security:HashIterations", "1000");
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing && Directory.Exists(_directory))
            Directory.Delete(_directory, recursive: true);
    }

    private static int FreeTcpPort()
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
}
