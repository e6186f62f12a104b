using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using CivicEdge.Fleet.Contracts;
using CivicEdge.Gateway.Acquisition;
using CivicEdge.Gateway.Storage;
using CivicEdge.Fleet.Contracts.Ledger;
using CivicEdge.Simulators.Processes;
using CivicEdge.Simulators.Provisioning;

namespace CivicEdge.EndToEnd.Tests;

/// <summary>
/// Two days offline, then back: the gateway's outbox holds 200,000 readings (written through the outbox as the
/// gateway would have written them), and the gateway, polling its meter meanwhile, delivers all of them in order and
/// exactly once, while the fleet shows the meter's current values from the live topic and the gateway's memory stays
/// bounded.
/// </summary>
[Category("EndToEnd")]
[NonParallelizable]
public sealed class LongOutageTests
{
    private const string GatewayId = "gw-outage-01";
    private const string MeterId = "mtr-outage-01";
    private const string Model = "eastron-sdm630";
    private const int Backlog = 200_000;

    /// <summary>A generous bound on the gateway's peak resident memory while it catches up; the figure is printed.</summary>
    private const long MaxResidentBytes = 400L * 1024 * 1024;

    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan CatchUpTimeout = TimeSpan.FromMinutes(5);

    private readonly List<ChildProcess> _processes = [];
    private string _workDirectory = string.Empty;

    [SetUp]
    public void CreateWorkDirectory() => _workDirectory = Directory.CreateTempSubdirectory("civicedge-outage-").FullName;

    [TearDown]
    public async Task StopEverything()
    {
        for (var i = _processes.Count - 1; i >= 0; i--)
            await _processes[i].DisposeAsync();
        if (Directory.Exists(_workDirectory))
            Directory.Delete(_workDirectory, recursive: true);
    }

    [Test]
    public async Task After_two_days_offline_the_backlog_is_delivered_in_order_exactly_once_with_live_values_and_bounded_memory()
    {
        var gatewayDatabase = Path.Combine(_workDirectory, "gateway.db");
        var fleetDatabase = Path.Combine(_workDirectory, "fleet.db");
        var filling = Stopwatch.StartNew();
        FillOutbox(gatewayDatabase);
        filling.Stop();

        var mqttPort = FreePort.Next();
        var fleet = Start("fleet", BuiltExecutables.Fleet, "--urls", "http://127.0.0.1:0", $"--Fleet:Broker:Port={mqttPort}", $"--Fleet:Storage:Path={fleetDatabase}",
            FleetAccess.BootstrapKeySwitch, "--Fleet:Ledger:CodeScheme=topic-level");
        var fleetReady = await fleet.WaitForLineAsync(l => l.Contains("civicedge-fleet ready", StringComparison.Ordinal), ReadyTimeout);
        using var http = FleetAccess.Authorized(new HttpClient { BaseAddress = new Uri(ReadinessLine.Field(fleetReady, "http") + "/"), Timeout = TimeSpan.FromSeconds(30) });
        var secretFile = Path.Combine(_workDirectory, "gateway.secret");
        using (var enrolling = new CancellationTokenSource(ReadyTimeout))
            await GatewayEnrolment.EnrolAsync(http, GatewayId, [new EnrolledDevice(MeterId, DeviceKind.EnergyMeter, Model)], secretFile, "e2e", enrolling.Token);
        var meter = Start("meter", BuiltExecutables.Simulator, "modbus", "--profile", Model, "--bind", "127.0.0.1", "--port", "0", "--seed", "3");
        var meterEndpoint = ReadinessLine.Field(await meter.WaitForLineAsync(l => l.Contains("civicsim ready", StringComparison.Ordinal), ReadyTimeout), "modbus");

        var catchingUp = Stopwatch.StartNew();
        var gateway = Start("gateway", BuiltExecutables.Gateway,
            $"--Gateway:Id={GatewayId}",
            $"--Gateway:DataPath={gatewayDatabase}",
            "--Gateway:Http:Url=http://127.0.0.1:0",
            "--Uplink:Host=127.0.0.1",
            $"--Uplink:Port={mqttPort}",
            $"--Uplink:Username={GatewayId}",
            $"--Uplink:PasswordFile={secretFile}",
            "--Uplink:BatchSize=1000",
            "--Uplink:MaxInFlight=4",
            "--Uplink:MaxRecordsPerSecond=50000",
            "--Uplink:AckTimeout=30s",
            "--Uplink:LiveInterval=500ms",
            $"--Devices:0:Id={MeterId}",
            $"--Devices:0:Profile={Model}",
            $"--Devices:0:Endpoint=tcp://{meterEndpoint}",
            "--Devices:0:Unit=1",
            "--Devices:0:PollInterval=1s");
        await gateway.WaitForLineAsync(l => l.Contains("civicedge-gateway ready", StringComparison.Ordinal), ReadyTimeout);

        var sawLive = false;
        long peakResident = 0;
        var deadline = DateTime.UtcNow + CatchUpTimeout;
        while (true)
        {
            peakResident = Math.Max(peakResident, ResidentBytes(gateway.Id));
            using var response = await http.GetAsync($"api/devices/{MeterId}/telemetry");
            if (response.StatusCode == HttpStatusCode.OK)
            {
                var telemetry = await response.Content.ReadFromJsonAsync(ContractsJson.Default.DeviceTelemetry);
                sawLive |= telemetry!.Latest.Any(value => value.Live);
                var device = await http.GetFromJsonAsync($"api/devices/{MeterId}", LedgerJson.Default.DeviceDetails);
                if (device!.Readings >= Backlog + 5)
                    break;
            }

            if (DateTime.UtcNow > deadline)
                Assert.Fail($"The backlog was not delivered within {CatchUpTimeout}:{Environment.NewLine}{gateway.RecentOutput}");
            await Task.Delay(500);
        }

        catchingUp.Stop();
        peakResident = Math.Max(peakResident, PeakResidentBytes(gateway.Id));
        await gateway.StopAsync(TimeSpan.FromSeconds(20));
        await fleet.StopAsync(TimeSpan.FromSeconds(20));

        var stored = StoredSequence.Read(fleetDatabase, gatewayDatabase, MeterId);
        TestContext.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"outbox filled with {Backlog} readings in {filling.Elapsed.TotalSeconds:F1} s ({Backlog / filling.Elapsed.TotalSeconds:F0}/s); " +
            $"delivered in {catchingUp.Elapsed.TotalSeconds:F1} s ({Backlog / catchingUp.Elapsed.TotalSeconds:F0} records/s to a real fleet); " +
            $"gateway peak resident memory {peakResident / 1024.0 / 1024.0:F0} MiB; live values seen: {sawLive}"));
        Assert.Multiple(() =>
        {
            Assert.That(stored.FleetSeqs.Take(Backlog), Is.EqualTo(Enumerable.Range(1, Backlog).Select(seq => (long)seq)), "the backlog, in order, nothing missing");
            Assert.That(stored.Duplicates, Is.Empty);
            Assert.That(stored.Missing, Is.Empty);
            Assert.That(stored.FleetTimes, Is.Ordered);
            Assert.That(sawLive, Is.True, "the fleet showed the meter's current values while the backlog drained");
            Assert.That(peakResident, Is.LessThan(MaxResidentBytes), "the gateway's memory stays bounded however deep the backlog");
        });
    }

    /// <summary>Writes two days of readings through the outbox, as the gateway would have while its uplink was down.</summary>
    private static void FillOutbox(string path)
    {
        var start = DateTimeOffset.UtcNow.AddDays(-2);
        var step = TimeSpan.FromDays(2) / Backlog;
        using var outbox = new Outbox(path);
        var batch = new List<DeviceReading>(1000);
        for (var i = 0; i < Backlog; i++)
        {
            batch.Add(new DeviceReading(MeterId, Model, start + step * i,
            [
                new PointValue("voltage_l1", 225 + (i % 100) / 10.0, "V", "voltage", Quality.Good),
                new PointValue("import_active_energy", 10_000 + i / 1000.0, "kWh", "active_energy", Quality.Good),
            ]));
            if (batch.Count == 1000)
            {
                outbox.Append(Streams.Telemetry, batch);
                batch.Clear();
            }
        }
    }

    private static long ResidentBytes(int pid) => ReadStatus(pid, "VmRSS:");

    private static long PeakResidentBytes(int pid) => ReadStatus(pid, "VmHWM:");

    /// <summary>A size from /proc/&lt;pid&gt;/status, in bytes; 0 once the process is gone.</summary>
    private static long ReadStatus(int pid, string key)
    {
        try
        {
            var line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith(key, StringComparison.Ordinal));
            var kilobytes = line?.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1];
            return kilobytes is null ? 0 : long.Parse(kilobytes, CultureInfo.InvariantCulture) * 1024;
        }
        catch (IOException)
        {
            return 0;
        }
    }

    private ChildProcess Start(string name, string executable, params string[] arguments)
    {
        var process = ChildProcess.Start(name, executable, arguments, workingDirectory: _workDirectory);
        _processes.Add(process);
        return process;
    }
}
