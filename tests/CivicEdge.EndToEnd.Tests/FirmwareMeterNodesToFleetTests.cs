using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CivicEdge.Fleet.Contracts;
using CivicEdge.Fleet.Contracts.Ledger;
using CivicEdge.Simulators.Processes;
using CivicEdge.Simulators.Provisioning;

namespace CivicEdge.EndToEnd.Tests;

/// <summary>
/// A street of water meters fitted with CivicEdge meter nodes: civicsim runs 20 instances of the meter-node firmware
/// on simulated reed contacts as Modbus RTU slaves on one RS-485 bus behind a serial-to-Ethernet converter (RTU over
/// TCP); civicedge-gateway polls the bus, and civicedge-fleet receives every meter's totals and the reverse-flow alarm
/// of the one whose water is scripted to run backwards — three real processes on loopback ports.
/// </summary>
[Category("EndToEnd")]
[NonParallelizable]
public sealed class FirmwareMeterNodesToFleetTests
{
    private const string GatewayId = "gw-e2e-meters";
    private const string Model = "civicedge-meter-node";
    private const int Meters = 20;
    private const int ReversedMeter = 7;
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(60);

    private readonly List<ChildProcess> _processes = [];
    private string _workDirectory = string.Empty;
    private HttpClient _http = null!;

    private static string MeterId(int unit) => $"wm-e2e-{unit:D2}";

    [OneTimeSetUp]
    public async Task StartTheStreet()
    {
        _workDirectory = Directory.CreateTempSubdirectory("civicedge-e2e-meters-").FullName;
        var mqttPort = FreePort.Next();

        var fleet = Start("fleet", BuiltExecutables.Fleet,
            "--urls", "http://127.0.0.1:0",
            $"--Fleet:Broker:Port={mqttPort}",
            $"--Fleet:Storage:Path={Path.Combine(_workDirectory, "fleet.db")}",
            FleetAccess.BootstrapKeySwitch,
            "--Fleet:Ledger:CodeScheme=topic-level");
        var fleetReady = await fleet.WaitForLineAsync(l => l.Contains("civicedge-fleet ready", StringComparison.Ordinal), ReadyTimeout);
        _http = FleetAccess.Authorized(new HttpClient { BaseAddress = new Uri(ReadinessLine.Field(fleetReady, "http") + "/"), Timeout = TimeSpan.FromSeconds(10) });

        var secretFile = Path.Combine(_workDirectory, "gateway.secret");
        var meters = Enumerable.Range(1, Meters).Select(unit => new EnrolledDevice(MeterId(unit), DeviceKind.WaterMeter, Model)).ToList();
        using (var enrolling = new CancellationTokenSource(ReadyTimeout))
            await GatewayEnrolment.EnrolAsync(_http, GatewayId, meters, secretFile, "water", enrolling.Token);

        // Every household draws 1.8 m³/h (half a litre a second); at meter 7 the water runs back into the main.
        var bus = Start("meter-nodes", BuiltExecutables.Simulator,
            "firmware", "meter-node", "--count", Meters.ToString(CultureInfo.InvariantCulture), "--rtu-over-tcp", "127.0.0.1:0",
            "--script", $"0s flow 1800; 0s reverse 3600 @{ReversedMeter}");
        var busReady = await bus.WaitForLineAsync(l => l.Contains("civicsim ready", StringComparison.Ordinal), ReadyTimeout);

        var arguments = new List<string>
        {
            $"--Gateway:Id={GatewayId}",
            $"--Gateway:DataPath={Path.Combine(_workDirectory, "gateway.db")}",
            "--Gateway:Http:Url=http://127.0.0.1:0",
            "--Uplink:Host=127.0.0.1",
            $"--Uplink:Port={mqttPort}",
            $"--Uplink:Username={GatewayId}",
            $"--Uplink:PasswordFile={secretFile}",
            "--Buses:0:Id=rs485-street",
            "--Buses:0:Kind=rtu-over-tcp",
            $"--Buses:0:Endpoint=tcp://{ReadinessLine.Field(busReady, "modbus")}",
        };
        for (int unit = 1; unit <= Meters; unit++)
        {
            int i = unit - 1;
            arguments.AddRange(
            [
                $"--Devices:{i}:Id={MeterId(unit)}", $"--Devices:{i}:Profile={Model}", $"--Devices:{i}:Bus=rs485-street",
                $"--Devices:{i}:Unit={unit}", $"--Devices:{i}:PollInterval=2s",
            ]);
        }

        var gateway = Start("gateway", BuiltExecutables.Gateway, [.. arguments]);
        await gateway.WaitForLineAsync(l => l.Contains("civicedge-gateway ready", StringComparison.Ordinal), ReadyTimeout);
    }

    [OneTimeTearDown]
    public async Task StopEverything()
    {
        _http?.Dispose();
        for (var i = _processes.Count - 1; i >= 0; i--)
            await _processes[i].DisposeAsync();
        if (Directory.Exists(_workDirectory))
            Directory.Delete(_workDirectory, recursive: true);
    }

    [Test]
    public async Task Every_meter_nodes_forward_total_reaches_the_fleet_and_grows()
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(90);
        var missing = Enumerable.Range(1, Meters).Where(unit => unit != ReversedMeter).ToHashSet();
        while (missing.Count > 0 && DateTime.UtcNow < deadline)
        {
            foreach (var unit in missing.ToList())
            {
                var series = await SeriesAsync(MeterId(unit), "volume_forward");
                if (series.Count >= 2 && series[^1] > series[0])
                    missing.Remove(unit);
            }

            if (missing.Count > 0)
                await Task.Delay(1000);
        }

        Assert.That(missing, Is.Empty, $"meters whose growing forward total did not reach the fleet.{Environment.NewLine}{Logs()}");
    }

    [Test]
    public async Task The_meter_whose_water_runs_backwards_raises_a_reverse_flow_alarm_at_the_fleet_and_the_others_do_not()
    {
        var alarm = await WaitForAsync(async () =>
        {
            using var response = await _http.GetAsync($"api/alarms?device={MeterId(ReversedMeter)}");
            if (response.StatusCode != HttpStatusCode.OK)
                return null;
            using var alarms = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            return alarms.RootElement.EnumerateArray()
                .Where(a => a.GetProperty("type").GetString()!.Contains("reverse_flow", StringComparison.Ordinal))
                .Select(a => (JsonElement?)a.Clone())
                .FirstOrDefault();
        }, "the reverse-flow alarm of the reversed meter");

        using var all = JsonDocument.Parse(await _http.GetStringAsync("api/alarms"));
        var reverseFlowDevices = all.RootElement.EnumerateArray()
            .Where(a => a.GetProperty("type").GetString()!.Contains("reverse_flow", StringComparison.Ordinal))
            .Select(a => a.GetProperty("device").GetString())
            .Distinct()
            .ToList();

        Assert.Multiple(() =>
        {
            Assert.That(alarm.GetProperty("state").GetString(), Is.EqualTo("raised"));
            Assert.That(alarm.GetProperty("message").GetString(), Does.Contain("backwards"));
            Assert.That(reverseFlowDevices, Is.EqualTo(new[] { MeterId(ReversedMeter) }));
        });
    }

    private async Task<List<double>> SeriesAsync(string device, string point)
    {
        using var response = await _http.GetAsync($"api/devices/{device}/telemetry");
        if (response.StatusCode != HttpStatusCode.OK)
            return [];
        var telemetry = await response.Content.ReadFromJsonAsync(ContractsJson.Default.DeviceTelemetry);
        return telemetry!.Series.FirstOrDefault(s => s.Point == point)?.Samples.Select(s => s.Value).ToList() ?? [];
    }

    private async Task<JsonElement> WaitForAsync(Func<Task<JsonElement?>> probe, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(90);
        while (true)
        {
            if (await probe() is { } found)
                return found;
            if (DateTime.UtcNow > deadline)
                Assert.Fail($"Gave up waiting for {what}.{Environment.NewLine}{Logs()}");
            await Task.Delay(1000);
        }
    }

    private string Logs() => string.Join(Environment.NewLine, _processes.Select(p => $"--- {p.Name}:{Environment.NewLine}{p.RecentOutput}"));

    private ChildProcess Start(string name, string executable, params string[] arguments)
    {
        var process = ChildProcess.Start(name, executable, arguments, workingDirectory: _workDirectory);
        _processes.Add(process);
        return process;
    }
}
