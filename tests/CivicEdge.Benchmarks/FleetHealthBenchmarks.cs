using BenchmarkDotNet.Attributes;
using CivicEdge.Fleet.Contracts;
using CivicEdge.Fleet.Contracts.Alarms;
using CivicEdge.Fleet.Contracts.Health;
using CivicEdge.Fleet.Contracts.Ledger;
using CivicEdge.Fleet.Core.Health;
using CivicEdge.Fleet.Storage.LiteDb;
using CivicEdge.Fleet.Storage.LiteDb.Ledger;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace CivicEdge.Benchmarks;

/// <summary>
/// What judging the health of a city's devices costs: 10,000 devices (500 gateways, each with 19 meters, pole
/// controllers and pipe sensors behind it) with a health report per gateway, newest values per device and an open alarm
/// on one in 20. <c>Assess</c> is the pure judgement (cadence, connectivity, verdict and reasons); <c>Roll-ups and
/// figures</c> adds the counts by tenant, district and kind and the plans' figures; <c>Read and assess on LiteDB</c>
/// reads the whole snapshot from the embedded stores first, as <c>GET /api/health</c> does; <c>Sample</c> judges the
/// 1,000 devices a campaign has updated, as its step does, one at a time or reading what they share once.
/// </summary>
[MemoryDiagnoser]
[ShortRunJob]
public class FleetHealthBenchmarks : IDisposable
{
    private const int Gateways = 500;
    private const int DevicesPerGateway = 19;
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 12, 0, 0, TimeSpan.Zero);
    private static readonly DeviceKind[] Kinds = [DeviceKind.WaterMeter, DeviceKind.GasMeter, DeviceKind.HeatMeter, DeviceKind.PoleController, DeviceKind.Lamp, DeviceKind.Sensor];
    private static readonly string[] Districts = ["Jinshui", "Erqi", "Zhongyuan", "Guancheng", "Huiji", "Shangjie"];
    private static readonly string[] Tenants = ["water", "gas", "heat", "lighting"];

    private readonly HealthOptions _options = new();
    private HealthAssessor _assessor = null!;
    private PlanFigures _figures = null!;
    private HealthSnapshot _snapshot = null!;
    private string _directory = null!;
    private LiteDbFleetStore _store = null!;
    private LiteDbDeviceLedgerStore _ledger = null!;
    private FleetHealth _health = null!;
    private string[] _campaign = null!;

    [GlobalSetup]
    public async Task Setup()
    {
        _options.Kinds["waterMeter"] = TimeSpan.FromHours(1);
        _options.SupplyVoltage["battery_voltage"] = new VoltageRange { Min = 3.3 };
        _assessor = new HealthAssessor(_options, new CadencePolicy(_options, new Dictionary<string, TimeSpan> { ["slc1"] = TimeSpan.FromSeconds(10) }));
        _figures = new PlanFigures(_options);

        var ledger = new List<LedgerDevice>();
        var telemetry = new List<DeviceSummary>();
        var reports = new Dictionary<string, HealthReport>(StringComparer.Ordinal);
        var values = new Dictionary<string, IReadOnlyList<LatestValue>>(StringComparer.Ordinal);
        var alarms = new List<Alarm>();
        for (var g = 0; g < Gateways; g++)
        {
            var gateway = $"gw-{g:D4}";
            var district = Districts[g % Districts.Length];
            ledger.Add(Device(gateway, DeviceKind.Gateway, Tenants[g % Tenants.Length], district, null, g));
            var answers = new List<DeviceHealth>();
            for (var d = 0; d < DevicesPerGateway; d++)
            {
                var i = (g * DevicesPerGateway) + d;
                var code = $"dev-{i:D5}";
                ledger.Add(Device(code, Kinds[i % Kinds.Length], Tenants[i % Tenants.Length], district, gateway, i));
                // Most report on time; one in 10 is late and one in 25 silent for a day.
                var seen = Now - (i % 25 == 0 ? TimeSpan.FromDays(1) : i % 10 == 0 ? TimeSpan.FromMinutes(40) : TimeSpan.FromSeconds(i % 300));
                telemetry.Add(new DeviceSummary(code, "slc1", gateway, Now.AddDays(-30), seen, 1000));
                values[code] = [new LatestValue("battery_voltage", i % 50 == 0 ? 3.1 : 3.6, "V", "voltage", Quality.Good, seen), new LatestValue("flow", 1.2, "m3/h", null, i % 33 == 0 ? Quality.CommError : Quality.Good, seen)];
                answers.Add(new DeviceHealth(code, "rs485-1", i % 40 == 0 ? HealthVerdict.Failed : HealthVerdict.Ok, i % 40 == 0 ? ["5 polls in a row without an answer"] : [], 100, 100, 95, 5, 0, 0, 0, i % 40 == 0 ? 5 : 0, 20, 50, seen, null));
                if (i % 20 == 0)
                    alarms.Add(new Alarm(alarms.Count + 1, code, i % 40 == 0 ? "comm_lost" : "lamp_failure.set", EventSeverity.Major, AlarmSource.Device, "raised", AlarmState.Raised, Now.AddHours(-1), Now.AddHours(-1), 1, null, null, null, [], 1));
            }

            reports[gateway] = new HealthReport(gateway, "1.4.0", Now.AddSeconds(-30), 86_400 * 5, ConfigurationOrigin.Local, null, new ProcessHealth(3, 1, 50_000_000, 8_000_000),
                new DiskHealth("/data/gateway.db", 900, 1000), [new OutboxHealth(Streams.Telemetry, 10, 5, 10_000, 9_990, 0)], new UplinkHealth(true, Now.AddDays(-5), null, null, 0), answers);
        }

        _snapshot = new HealthSnapshot(Now, ledger, telemetry, reports, new Dictionary<string, SourceState>(StringComparer.Ordinal), values, alarms, FirmwareTarget.From(_options, ledger));

        // The same fleet in the embedded stores, for the end-to-end read.
        _directory = Directory.CreateTempSubdirectory("civicedge-bench-health-").FullName;
        _store = new LiteDbFleetStore(new LiteDbFleetStoreOptions { Path = Path.Combine(_directory, "fleet.db") }, NullLogger<LiteDbFleetStore>.Instance);
        _ledger = new LiteDbDeviceLedgerStore(new LiteDbLedgerStoreOptions { Path = Path.Combine(_directory, "ledger.db") }, NullLogger<LiteDbDeviceLedgerStore>.Instance);
        foreach (var device in ledger)
            await _ledger.TryAddDeviceAsync(device, CancellationToken.None);
        foreach (var group in telemetry.GroupBy(t => t.Gateway!))
        {
            var records = group.Select((t, n) => new TelemetryRecord(n + 1, t.Id, t.Model, t.LastSeen!.Value,
                values[t.Id].Select(v => new PointValue(v.Point, v.Value, v.Unit, v.Quantity, v.Quality)).ToList())).ToList();
            await _store.StoreBatchAsync(new TelemetryBatch(group.Key, Streams.Telemetry, records), Now, CancellationToken.None);
            await _store.RecordHealthAsync(reports[group.Key], CancellationToken.None);
        }

        foreach (var alarm in alarms)
            await _store.TryAddAlarmAsync(alarm, CancellationToken.None);
        _health = new FleetHealth(_ledger, _store, _store, _options, _assessor, new FakeTimeProvider(Now));
        _campaign = [.. ledger.Where(d => d.Kind != DeviceKind.Gateway).Take(1_000).Select(d => d.Code)];
    }

    [Benchmark(Description = "assess 10,000 devices")]
    public IReadOnlyList<DeviceHealthStatus> Assess() => _assessor.AssessAll(_snapshot);

    [Benchmark(Description = "assess 10,000 devices, roll-ups and plan figures")]
    public PlanAssessment RollupsAndFigures()
    {
        var devices = _assessor.AssessAll(_snapshot);
        _ = HealthRollups.Build(devices, Now);
        return _figures.Assess(devices, _snapshot.Ledger, _snapshot.OpenAlarms, Now);
    }

    [Benchmark(Description = "read and assess 10,000 devices on LiteDB")]
    public async Task<IReadOnlyList<DeviceHealthStatus>> ReadAndAssess() => await _health.AssessAllAsync(CancellationToken.None);

    [Benchmark(Description = "sample 1,000 devices of one model on LiteDB one at a time")]
    public async Task<int> SampleOneAtATime()
    {
        var assessed = 0;
        foreach (var device in _campaign)
            assessed += await _health.AssessAsync(device, CancellationToken.None) is null ? 0 : 1;
        return assessed;
    }

    [Benchmark(Description = "sample 1,000 devices of one model on LiteDB together, as a campaign step does")]
    public async Task<IReadOnlyDictionary<string, DeviceHealthStatus>> SampleTogether() => await _health.AssessManyAsync(_campaign, CancellationToken.None);

    [GlobalCleanup]
    public void Cleanup() => Dispose();

    public void Dispose()
    {
        _store?.Dispose();
        _ledger?.Dispose();
        if (_directory is not null && Directory.Exists(_directory))
            Directory.Delete(_directory, recursive: true);
        GC.SuppressFinalize(this);
    }

    private static LedgerDevice Device(string code, DeviceKind kind, string tenant, string district, string? gateway, int i) =>
        new(code, kind, "slc1", tenant, new DeviceLocation(null, null, null, kind is DeviceKind.PoleController or DeviceKind.Lamp ? $"P-{i / 2:D5}" : null, district), gateway,
            LifecycleState.InService, i % 17 == 0 ? "1.0.0" : "1.1.0", [], kind == DeviceKind.Sensor ? ["pressure"] : [], null, null, null, Now.AddDays(-60), Now.AddDays(-60), 1, []);
}
