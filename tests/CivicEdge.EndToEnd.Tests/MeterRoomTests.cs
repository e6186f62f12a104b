using System.Net;
using System.Net.Http.Json;
using CivicEdge.Fleet.Contracts;
using CivicEdge.Fleet.Contracts.Ledger;
using CivicEdge.Simulators.Processes;
using CivicEdge.Simulators.Provisioning;

namespace CivicEdge.EndToEnd.Tests;

/// <summary>
/// A meter room as an installer wires it: an M-Bus heat meter, a CJ/T 188 water meter and a DL/T 645 electricity meter,
/// each a civicsim process on its own serial line (a socat pty pair), read by civicedge-gateway and delivered to
/// civicedge-fleet. The water meter's line sends a burst of damaged frames first: they are counted, and neither that
/// meter nor the others stop being read.
/// </summary>
[Category("EndToEnd")]
[NonParallelizable]
public sealed class MeterRoomTests
{
    private const string GatewayId = "gw-e2e-meters";
    private const string HeatMeterId = "heat-e2e-01";
    private const string WaterMeterId = "water-e2e-01";
    private const string PowerMeterId = "power-e2e-01";
    private const string WaterAddress = "20240000001234";
    private const string PowerAddress = "000012345678";
    private const int DamagedAnswers = 3;

    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(60);

    private readonly List<ChildProcess> _processes = [];
    private readonly List<SocatPtyPair> _lines = [];
    private string _workDirectory = string.Empty;
    private HttpClient _fleet = null!;
    private HttpClient _localApi = null!;
    private Dictionary<string, DeviceTelemetry> _telemetry = null!;

    [OneTimeSetUp]
    public async Task StartTheMeterRoom()
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
        _fleet = FleetAccess.Authorized(new HttpClient { BaseAddress = new Uri(ReadinessLine.Field(fleetReady, "http") + "/"), Timeout = TimeSpan.FromSeconds(10) });

        var secretFile = Path.Combine(_workDirectory, "gateway.secret");
        using (var enrolling = new CancellationTokenSource(ReadyTimeout))
        {
            await GatewayEnrolment.EnrolAsync(_fleet, GatewayId,
                [
                    new EnrolledDevice(HeatMeterId, DeviceKind.HeatMeter, "mbus-heat-meter"),
                    new EnrolledDevice(WaterMeterId, DeviceKind.WaterMeter, "cjt188-water-meter"),
                    new EnrolledDevice(PowerMeterId, DeviceKind.EnergyMeter, "dlt645-2007-meter"),
                ],
                secretFile, "e2e", enrolling.Token);
        }

        var heatLine = await LineAsync();
        var waterLine = await LineAsync();
        var powerLine = await LineAsync();
        await Task.WhenAll(
            StartMeterAsync("heat", "mbus", heatLine, "--meter", "5:66660205", "--set", "supply_temperature=70.5", "--set", "return_temperature=45.2"),
            StartMeterAsync("water", "cjt188", waterLine, "--meter", WaterAddress, "--set", "volume_forward=321.45", "--fault", $"bad-checksum:x{DamagedAnswers}"),
            StartMeterAsync("power", "dlt645", powerLine, "--meter", PowerAddress, "--set", "voltage_l1=231.4", "--set", "import_active_energy=12345.67"));

        var localApi = $"http://127.0.0.1:{FreePort.Next()}";
        _localApi = new HttpClient { BaseAddress = new Uri(localApi + "/"), Timeout = TimeSpan.FromSeconds(10) };
        var gateway = Start("gateway", BuiltExecutables.Gateway,
            $"--Gateway:Id={GatewayId}",
            $"--Gateway:DataPath={Path.Combine(_workDirectory, "gateway.db")}",
            $"--Gateway:Http:Url={localApi}",
            "--Uplink:Host=127.0.0.1",
            $"--Uplink:Port={mqttPort}",
            $"--Uplink:Username={GatewayId}",
            $"--Uplink:PasswordFile={secretFile}",
            "--Buses:0:Id=mbus-1", "--Buses:0:Kind=mbus", $"--Buses:0:Path={heatLine.DevicePath}", "--Buses:0:ResponseTimeout=3s",
            "--Buses:1:Id=water-1", "--Buses:1:Kind=cjt188", $"--Buses:1:Path={waterLine.DevicePath}", "--Buses:1:ResponseTimeout=3s",
            "--Buses:2:Id=power-1", "--Buses:2:Kind=dlt645", $"--Buses:2:Path={powerLine.DevicePath}", "--Buses:2:ResponseTimeout=3s",
            $"--Devices:0:Id={HeatMeterId}", "--Devices:0:Profile=mbus-heat-meter", "--Devices:0:Bus=mbus-1", "--Devices:0:Address=5", "--Devices:0:PollInterval=1s",
            $"--Devices:1:Id={WaterMeterId}", "--Devices:1:Profile=cjt188-water-meter", "--Devices:1:Bus=water-1", $"--Devices:1:Address={WaterAddress}", "--Devices:1:PollInterval=1s",
            $"--Devices:2:Id={PowerMeterId}", "--Devices:2:Profile=dlt645-2007-meter", "--Devices:2:Bus=power-1", $"--Devices:2:Address={PowerAddress}", "--Devices:2:PollInterval=1s");
        await gateway.WaitForLineAsync(l => l.Contains("civicedge-gateway ready", StringComparison.Ordinal), ReadyTimeout);

        _telemetry = new Dictionary<string, DeviceTelemetry>
        {
            [HeatMeterId] = await WaitForTelemetryAsync(HeatMeterId, "supply_temperature", "heat_energy", "volume"),
            [WaterMeterId] = await WaitForTelemetryAsync(WaterMeterId, "volume", "valve", "battery_low"),
            [PowerMeterId] = await WaitForTelemetryAsync(PowerMeterId, "voltage_a", "forward_active_energy", "current_a"),
        };
    }

    [OneTimeTearDown]
    public async Task StopEverything()
    {
        _fleet?.Dispose();
        _localApi?.Dispose();
        for (var i = _processes.Count - 1; i >= 0; i--)
            await _processes[i].DisposeAsync();
        foreach (var line in _lines)
            line.Dispose();
        if (Directory.Exists(_workDirectory))
            Directory.Delete(_workDirectory, recursive: true);
    }

    [Test]
    public void The_heat_meters_temperatures_and_totals_reach_the_fleet_in_the_profiles_units()
    {
        var latest = Latest(HeatMeterId);

        Assert.That((latest["supply_temperature"].Value, latest["supply_temperature"].Unit), Is.EqualTo((70.5, "Cel")));
        Assert.That(latest["return_temperature"].Value, Is.EqualTo(45.2).Within(1e-9), "sent in tenths of a degree (VIF 5E)");
        Assert.That((latest["temperature_difference"].Value, latest["temperature_difference"].Unit), Is.EqualTo((25.3, "K")).Using<(double, string)>((a, b) => Math.Abs(a.Item1 - b.Item1) < 1e-9 && a.Item2 == b.Item2));
        Assert.That((latest["heat_energy"].Unit, latest["volume"].Unit), Is.EqualTo(("kWh", "m3")));
        Assert.That(latest["heat_energy"].Value, Is.GreaterThan(latest["due_date_energy"].Value));
        Assert.That(latest["error_flags"].Value, Is.Zero);
    }

    [Test]
    public void The_water_meters_volume_and_status_reach_the_fleet()
    {
        var latest = Latest(WaterMeterId);

        Assert.That((latest["volume"].Value, latest["volume"].Unit, latest["volume"].Quality), Is.EqualTo((321.45, "m3", Quality.Good)));
        Assert.That(latest["settlement_volume"].Value, Is.LessThan(321.45));
        Assert.That((latest["valve"].Value, latest["battery_low"].Value), Is.EqualTo((0.0, 0.0)));
    }

    [Test]
    public void The_electricity_meters_energy_and_phase_values_reach_the_fleet()
    {
        var latest = Latest(PowerMeterId);

        Assert.That((latest["forward_active_energy"].Value, latest["forward_active_energy"].Unit), Is.EqualTo((12345.67, "kWh")));
        Assert.That((latest["voltage_a"].Value, latest["voltage_a"].Unit), Is.EqualTo((231.4, "V")));
        Assert.That(latest["voltage_b"].Value, Is.InRange(220.0, 240.0));
        Assert.That(latest["active_power"].Unit, Is.EqualTo("W"), "kW from the meter, reported in the canonical unit of power");
    }

    [Test]
    public async Task The_damaged_burst_is_counted_against_the_water_meter_alone_and_every_meter_keeps_answering()
    {
        var report = await _localApi.GetFromJsonAsync("status", ContractsJson.Default.HealthReport);

        var devices = report!.Devices.ToDictionary(d => d.DeviceId);
        Assert.That(devices[WaterMeterId].CrcErrors, Is.EqualTo(DamagedAnswers), "the burst, and nothing else, arrived damaged");
        Assert.That(devices[WaterMeterId].Responses, Is.GreaterThan(0));
        Assert.That(devices[HeatMeterId].CrcErrors + devices[PowerMeterId].CrcErrors, Is.Zero);
        Assert.That(report.Devices.Select(d => d.Responses), Is.All.GreaterThan(0));
        Assert.That(report.Devices.Select(d => d.Bus), Is.EquivalentTo(new[] { "mbus-1", "water-1", "power-1" }));
    }

    private Dictionary<string, LatestValue> Latest(string deviceId) => _telemetry[deviceId].Latest.ToDictionary(v => v.Point, StringComparer.Ordinal);

    private async Task<SocatPtyPair> LineAsync()
    {
        var line = await SocatPtyPair.StartAsync(CancellationToken.None);
        _lines.Add(line);
        return line;
    }

    private async Task StartMeterAsync(string name, string protocol, SocatPtyPair line, params string[] arguments)
    {
        var meter = Start(name, BuiltExecutables.Simulator, [protocol, "--serial", line.PeerPath, "--seed", "11", .. arguments]);
        await meter.WaitForLineAsync(l => l.StartsWith("civicsim ready", StringComparison.Ordinal), ReadyTimeout);
    }

    private async Task<DeviceTelemetry> WaitForTelemetryAsync(string deviceId, params string[] points)
    {
        var deadline = DateTime.UtcNow + ReadyTimeout;
        while (true)
        {
            using var response = await _fleet.GetAsync($"api/devices/{deviceId}/telemetry");
            if (response.StatusCode == HttpStatusCode.OK)
            {
                var telemetry = await response.Content.ReadFromJsonAsync(ContractsJson.Default.DeviceTelemetry);
                if (points.All(p => telemetry!.Latest.Any(v => v.Point == p)))
                    return telemetry!;
            }
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"{string.Join(", ", points)} of {deviceId} did not reach the fleet within {ReadyTimeout.TotalSeconds:0} s (last answer {(int)response.StatusCode})." +
                            $"{Environment.NewLine}{string.Join(Environment.NewLine, _processes.Select(p => $"--- {p.Name}:{Environment.NewLine}{p.RecentOutput}"))}");
            }
            await Task.Delay(500);
        }
    }

    private ChildProcess Start(string name, string executable, params string[] arguments)
    {
        var process = ChildProcess.Start(name, executable, arguments, workingDirectory: _workDirectory);
        _processes.Add(process);
        return process;
    }
}
