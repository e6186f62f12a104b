using System.Net;
using System.Net.Http.Json;
using CivicEdge.Fleet.Contracts;
using CivicEdge.Fleet.Contracts.Access;
using CivicEdge.Fleet.Contracts.Ledger;
using CivicEdge.Fleet.Core;
using CivicEdge.Fleet.Core.Ledger;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace CivicEdge.Fleet.Server.Tests.Health;

/// <summary>
/// A fleet on a fake clock with a water utility (gateway <c>gw-water</c> in Jinshui, meters <c>wm-1</c> behind it and
/// <c>wm-2</c> in Erqi that never reported) and a gas utility (<c>gm-1</c> in Erqi, silent for two hours), all in
/// service, water meters expected every 10 minutes.
/// </summary>
internal sealed class HealthFleet : IAsyncDisposable
{
    public static readonly DateTimeOffset T0 = new(2026, 11, 22, 10, 0, 0, TimeSpan.Zero);

    private HealthFleet(FleetHost host, FakeTimeProvider clock)
    {
        Host = host;
        Clock = clock;
    }

    public FleetHost Host { get; }

    public FakeTimeProvider Clock { get; }

    public static async Task<HealthFleet> StartAsync(CancellationToken cancellationToken, IReadOnlyDictionary<string, string>? settings = null)
    {
        var all = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["Fleet:Health:Kinds:waterMeter"] = "00:10:00",
            ["Fleet:Health:Grace"] = "00:01:00",
            ["Fleet:Health:OfflineAlarms"] = "false",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
            all[key] = value;

        var clock = new FakeTimeProvider(T0);
        var host = new FleetHost(all, clock);
        await host.StartAsync(cancellationToken);
        var ledger = host.Services.GetRequiredService<IDeviceLedgerStore>();
        await ledger.TryAddDeviceAsync(Device("gw-water", DeviceKind.Gateway, "water", "Jinshui", null), cancellationToken);
        await ledger.TryAddDeviceAsync(Device("wm-1", DeviceKind.WaterMeter, "water", "Jinshui", "gw-water"), cancellationToken);
        await ledger.TryAddDeviceAsync(Device("wm-2", DeviceKind.WaterMeter, "water", "Erqi", "gw-water"), cancellationToken);
        await ledger.TryAddDeviceAsync(Device("gm-1", DeviceKind.GasMeter, "gas", "Erqi", null), cancellationToken);

        var store = host.Services.GetRequiredService<IFleetStore>();
        await store.StoreBatchAsync(Readings("gw-water", 1, "wm-1", T0.AddMinutes(-2)), T0, cancellationToken);
        await store.StoreBatchAsync(Readings("gm-1", 1, "gm-1", T0.AddHours(-2)), T0, cancellationToken);
        await store.RecordHealthAsync(new HealthReport(
            "gw-water", "1.4.0", T0.AddMinutes(-1), 864_000, ConfigurationOrigin.Local, null, new ProcessHealth(3, 1, 50_000_000, 8_000_000),
            new DiskHealth("/data/gateway.db", 900, 1000), [], new UplinkHealth(true, T0.AddDays(-10), null, null, 0), []), cancellationToken);
        return new HealthFleet(host, clock);
    }

    /// <summary>One reading of <paramref name="device"/> at <paramref name="at"/>, numbered <paramref name="seq"/> in <paramref name="source"/>'s stream.</summary>
    public static TelemetryBatch Readings(string source, long seq, string device, DateTimeOffset at) =>
        new(source, Streams.Telemetry, [new TelemetryRecord(seq, device, "generic-water-meter", at, [new PointValue("volume", 12.5, "m3", null, Quality.Good)])]);

    /// <summary>Makes a key through the API as the bootstrap admin and returns a client sending it.</summary>
    public async Task<HttpClient> ClientAsync(string name, FleetRole role, params string[] tenants)
    {
        using var admin = Host.CreateClient();
        using var response = await admin.PostAsJsonAsync(
            "api/keys", new NewApiKey(name, role, tenants, tenants.Length == 0, null), AccessJson.Default.NewApiKey);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
        return Host.CreateClient((await response.Content.ReadFromJsonAsync(AccessJson.Default.IssuedApiKey))!.Key);
    }

    public async Task<IReadOnlyList<AuditEntry>> AuditAsync(string query)
    {
        using var admin = Host.CreateClient();
        return (await admin.GetFromJsonAsync($"api/audit?{query}", AccessJson.Default.IReadOnlyListAuditEntry))!;
    }

    public ValueTask DisposeAsync() => Host.DisposeAsync();

    private static LedgerDevice Device(string code, DeviceKind kind, string tenant, string district, string? gateway) =>
        new(code, kind, null, tenant, new DeviceLocation(null, null, null, null, district), gateway, LifecycleState.InService, null, [], [], null, null, null,
            T0.AddDays(-30), T0.AddDays(-30), 1, []);
}
