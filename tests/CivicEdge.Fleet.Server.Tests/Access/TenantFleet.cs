using System.Net;
using System.Net.Http.Json;
using CivicEdge.Fleet.Contracts;
using CivicEdge.Fleet.Contracts.Access;
using CivicEdge.Fleet.Contracts.Ledger;
using CivicEdge.Fleet.Core;
using Microsoft.Extensions.DependencyInjection;

namespace CivicEdge.Fleet.Server.Tests.Access;

/// <summary>
/// A fleet shared by two tenants: the water utility (gateway <c>gw-water</c>, meter <c>mtr-water</c>) and the gas
/// utility (<c>gw-gas</c>, <c>mtr-gas</c>), registered in the ledger as theirs, and a stray meter nobody owns yet
/// (<c>mtr-stray</c> behind <c>gw-stray</c>, in no ledger), each with telemetry, events, a twin and a health report.
/// </summary>
internal sealed class TenantFleet : IAsyncDisposable
{
    public static readonly DateTimeOffset T0 = new(2026, 11, 22, 10, 0, 0, TimeSpan.Zero);

    public static readonly string[] Gateways = ["gw-water", "gw-gas", "gw-stray"];

    private TenantFleet(FleetHost host) => Host = host;

    public FleetHost Host { get; }

    /// <summary>The window every query of the test data uses.</summary>
    public static string Window => $"from={Uri.EscapeDataString(T0.ToString("O"))}&to={Uri.EscapeDataString(T0.AddHours(1).ToString("O"))}";

    public static async Task<TenantFleet> StartAsync(CancellationToken cancellationToken, IReadOnlyDictionary<string, string>? settings = null)
    {
        var host = new FleetHost(settings);
        await host.StartAsync(cancellationToken);
        using (var admin = host.CreateClient())
        {
            foreach (var (tenant, gateway, meter, kind) in new[] { ("water", "gw-water", "mtr-water", DeviceKind.WaterMeter), ("gas", "gw-gas", "mtr-gas", DeviceKind.GasMeter) })
            {
                await RegisterAsync(admin, new DeviceRegistration { Code = gateway, Kind = DeviceKind.Gateway, Tenant = tenant }, cancellationToken);
                await RegisterAsync(admin, new DeviceRegistration { Code = meter, Kind = kind, Tenant = tenant, Gateway = gateway }, cancellationToken);
            }
        }

        var store = host.Services.GetRequiredService<IFleetStore>();
        foreach (var gateway in Gateways)
        {
            var meter = gateway.Replace("gw-", "mtr-", StringComparison.Ordinal);
            await store.StoreBatchAsync(
                new TelemetryBatch(gateway, Streams.Telemetry,
                    [new TelemetryRecord(1, meter, "eastron-sdm630", T0.AddMinutes(1), [new PointValue("voltage_l1", 231, "V", null, Quality.Good)])]),
                T0, cancellationToken);
            await store.StoreEventsAsync(
                new EventBatch(gateway, Streams.Events,
                    [new EventRecord(1, meter, T0.AddMinutes(2), "voltage_l1.high", EventState.Raised, EventSeverity.Major, "Voltage L1 above 253 V", "voltage_l1", 257)]),
                T0, cancellationToken);
            await store.SetDesiredAsync(gateway, new DesiredConfiguration([], [], []), T0, cancellationToken);
            await store.RecordHealthAsync(Health(gateway), cancellationToken);
        }

        return new TenantFleet(host);
    }

    /// <summary>Makes a key through the API as the bootstrap admin and returns it.</summary>
    public async Task<string> KeyAsync(string name, FleetRole role, params string[] tenants)
    {
        using var admin = Host.CreateClient();
        using var response = await admin.PostAsJsonAsync(
            "api/keys", new NewApiKey(name, role, tenants, tenants.Length == 0, null), AccessJson.Default.NewApiKey);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync(AccessJson.Default.IssuedApiKey))!.Key;
    }

    /// <summary>The audit entries that match <paramref name="query"/> (of GET /api/audit), read as the bootstrap admin.</summary>
    public async Task<IReadOnlyList<AuditEntry>> AuditAsync(string query)
    {
        using var admin = Host.CreateClient();
        return (await admin.GetFromJsonAsync($"api/audit?{query}", AccessJson.Default.IReadOnlyListAuditEntry))!;
    }

    public ValueTask DisposeAsync() => Host.DisposeAsync();

    private static async Task RegisterAsync(HttpClient admin, DeviceRegistration registration, CancellationToken cancellationToken)
    {
        using var response = await admin.PostAsJsonAsync("api/devices", registration, LedgerJson.Default.DeviceRegistration, cancellationToken);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync(cancellationToken));
    }

    private static HealthReport Health(string gateway) => new(
        gateway, "0.1.0", T0, 60, ConfigurationOrigin.Local, null, new ProcessHealth(3, 1, 50_000_000, 8_000_000),
        new DiskHealth("/data/gateway.db", 1000, 2000), [], new UplinkHealth(true, T0, null, null, 0), []);
}
