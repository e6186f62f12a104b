using CivicEdge.Fleet.Contracts;
using CivicEdge.Fleet.Contracts.Alarms;
using CivicEdge.Fleet.Contracts.Health;
using CivicEdge.Fleet.Contracts.Ledger;
using CivicEdge.Fleet.Core.Health;
using CivicEdge.Fleet.Storage.LiteDb.Ledger;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace CivicEdge.Fleet.Storage.LiteDb.Tests.Health;

/// <summary>
/// Judging several devices together (what a campaign's step does) reads what they share once; each must still be
/// judged exactly as the whole-fleet snapshot judges it: its own gateway, its own model's firmware, its own alarms.
/// </summary>
[TestFixture]
[Category("Integration")]
public sealed class FleetHealthOnLiteDbTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 29, 6, 0, 0, TimeSpan.Zero);

    private readonly TempStore _temp = new();
    private string _ledgerDirectory = string.Empty;
    private LiteDbDeviceLedgerStore _ledger = null!;
    private FleetHealth _health = null!;

    [SetUp]
    public async Task SetUp()
    {
        var store = _temp.Open();
        _ledgerDirectory = Directory.CreateTempSubdirectory("civicedge-health-ledger-").FullName;
        _ledger = new LiteDbDeviceLedgerStore(new LiteDbLedgerStoreOptions { Path = Path.Combine(_ledgerDirectory, "ledger.db") }, NullLogger<LiteDbDeviceLedgerStore>.Instance);
        var options = new HealthOptions();
        _health = new FleetHealth(_ledger, store, store, options, new HealthAssessor(options, new CadencePolicy(options, new Dictionary<string, TimeSpan>())), new FakeTimeProvider(Now));

        // Two gateways; meters of model "m-a" mostly on 1.0.0 (one drifted to 0.9.0), pole controllers of "p-b" on
        // 2.0.0 and 2.1.0 alike (no target); one gateway silent for a day, one meter with an open alarm.
        await AddAsync(Device("gw-1", DeviceKind.Gateway, "gw", null, "3.0.0"));
        await AddAsync(Device("gw-2", DeviceKind.Gateway, "gw", null, "3.0.0"));
        string[] meters = ["m-1", "m-2", "m-3", "m-4"];
        for (var i = 0; i < meters.Length; i++)
            await AddAsync(Device(meters[i], DeviceKind.WaterMeter, "m-a", i % 2 == 0 ? "gw-1" : "gw-2", i == 3 ? "0.9.0" : "1.0.0"));
        await AddAsync(Device("p-1", DeviceKind.PoleController, "p-b", "gw-1", "2.0.0"));
        await AddAsync(Device("p-2", DeviceKind.PoleController, "p-b", "gw-2", "2.1.0"));

        await store.StoreBatchAsync(Batch("gw-1", Now.AddSeconds(-20), "m-1", "m-3", "p-1"), Now, CancellationToken.None);
        await store.StoreBatchAsync(Batch("gw-2", Now.AddDays(-1), "m-2", "m-4", "p-2"), Now, CancellationToken.None);
        await store.TryAddAlarmAsync(new Alarm(1, "m-3", "leak", EventSeverity.Major, AlarmSource.Device, "raised", AlarmState.Raised, Now.AddHours(-1), Now.AddHours(-1), 1, null, null, null, [], 1), CancellationToken.None);
    }

    [TearDown]
    public async Task TearDown()
    {
        _ledger.Dispose();
        Directory.Delete(_ledgerDirectory, recursive: true);
        await _temp.CloseAsync();
    }

    [Test]
    public async Task Devices_judged_together_are_judged_as_the_whole_fleet_judges_each_and_unknown_ones_are_left_out()
    {
        var whole = (await _health.AssessAllAsync(CancellationToken.None)).ToDictionary(s => s.Device, StringComparer.Ordinal);

        var together = await _health.AssessManyAsync(["m-1", "m-2", "m-3", "m-4", "p-1", "p-2", "gw-2", "nobody"], CancellationToken.None);

        Assert.That(together.Keys, Is.EquivalentTo(new[] { "m-1", "m-2", "m-3", "m-4", "p-1", "p-2", "gw-2" }));
        foreach (var (device, status) in together)
            Assert.That(Judgement(status), Is.EqualTo(Judgement(whole[device])), device);
        Assert.That(together["m-4"].Reasons.Select(r => r.Code), Does.Contain("firmware_drift"), "the model's target is 1.0.0, read once for all its meters");
        Assert.That(together["m-3"].Reasons.Select(r => r.Code), Does.Contain("open_alarm"), "its own open alarm");
        Assert.That(together["m-1"].Reasons.Select(r => r.Code), Does.Not.Contain("open_alarm"), "m-3's alarm is not m-1's, though they share gateway and model");
    }

    private static string Judgement(DeviceHealthStatus status) =>
        $"{status.State} {status.Verdict} {status.Firmware} {string.Join(',', status.Reasons.Select(r => r.Code).Order(StringComparer.Ordinal))}";

    private async Task AddAsync(LedgerDevice device) => Assert.That(await _ledger.TryAddDeviceAsync(device, CancellationToken.None), Is.True, device.Code);

    private static LedgerDevice Device(string code, DeviceKind kind, string model, string? gateway, string firmware) =>
        new(code, kind, model, "water", new DeviceLocation(null, null, null, null, "Jinshui"), gateway,
            LifecycleState.InService, firmware, [], [], null, null, null, Now.AddDays(-60), Now.AddDays(-60), 1, []);

    private static TelemetryBatch Batch(string gateway, DateTimeOffset at, params string[] devices) =>
        new(gateway, Streams.Telemetry, [.. devices.Select((device, n) => new TelemetryRecord(n + 1, device, "model", at, [new PointValue("flow", 1.5, "m3/h", null, Quality.Good)]))]);
}
