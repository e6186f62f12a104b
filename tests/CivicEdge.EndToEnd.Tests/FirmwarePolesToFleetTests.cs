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
/// A street of 20 poles running the pole controller firmware: civicsim runs 20 instances on simulated lamps, mains,
/// thermistors, door contacts and accelerometers as Modbus RTU slaves on one RS-485 bus behind a serial-to-Ethernet
/// converter; civicedge-gateway polls them through the SLC-1 profile, and civicedge-fleet receives every pole's lamp
/// current, power and energy, the overheated driver's alarm, the failed lamp's fault bit, and carries a dimming
/// command down to one controller — four real processes on loopback ports. The street is placed where it is night
/// now, so the schedule has every lamp on.
/// </summary>
[Category("EndToEnd")]
[NonParallelizable]
public sealed class FirmwarePolesToFleetTests
{
    private const string GatewayId = "gw-e2e-poles";
    private const string Model = "civicedge-slc1";
    private const int Poles = 20;
    private const int FailedLamp = 5;
    private const int HotDriver = 9;
    private const int DimmedPole = 12;
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(60);

    private readonly List<ChildProcess> _processes = [];
    private string _workDirectory = string.Empty;
    private Uri _fleetUrl = null!;
    private HttpClient _http = null!;

    private static string PoleId(int unit) => $"slc-e2e-{unit:D2}";

    [OneTimeSetUp]
    public async Task StartTheStreet()
    {
        _workDirectory = Directory.CreateTempSubdirectory("civicedge-e2e-poles-").FullName;
        var mqttPort = FreePort.Next();

        var fleet = Start("fleet", BuiltExecutables.Fleet,
            "--urls", "http://127.0.0.1:0",
            $"--Fleet:Broker:Port={mqttPort}",
            $"--Fleet:Storage:Path={Path.Combine(_workDirectory, "fleet.db")}",
            FleetAccess.BootstrapKeySwitch,
            "--Fleet:Ledger:CodeScheme=topic-level");
        var fleetReady = await fleet.WaitForLineAsync(l => l.Contains("civicedge-fleet ready", StringComparison.Ordinal), ReadyTimeout);
        _fleetUrl = new Uri(ReadinessLine.Field(fleetReady, "http") + "/");
        _http = FleetAccess.Authorized(new HttpClient { BaseAddress = _fleetUrl, Timeout = TimeSpan.FromSeconds(10) });

        var secretFile = Path.Combine(_workDirectory, "gateway.secret");
        var poles = Enumerable.Range(1, Poles).Select(unit => new EnrolledDevice(PoleId(unit), DeviceKind.Lamp, Model)).ToList();
        using (var enrolling = new CancellationTokenSource(ReadyTimeout))
            await GatewayEnrolment.EnrolAsync(_http, GatewayId, poles, secretFile, "lighting", enrolling.Token);

        // On the equator at the longitude where it is local midnight now, the sun set about six hours ago.
        var utcHours = DateTime.UtcNow.TimeOfDay.TotalHours;
        var longitude = Math.Round(-utcHours * 15 < -180 ? (-utcHours * 15) + 360 : -utcHours * 15, 2);
        var bus = Start("poles", BuiltExecutables.Simulator,
            "firmware", "pole", "--count", Poles.ToString(CultureInfo.InvariantCulture), "--rtu-over-tcp", "127.0.0.1:0",
            "--latitude", "0", "--longitude", longitude.ToString(CultureInfo.InvariantCulture),
            "--utc-offset", ((int)Math.Round(longitude / 15) * 60).ToString(CultureInfo.InvariantCulture),
            "--script", $"0s lamp-fail @{FailedLamp}; 0s temperature 95 @{HotDriver}");
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
            "--Buses:0:Id=rs485-poles",
            "--Buses:0:Kind=rtu-over-tcp",
            $"--Buses:0:Endpoint=tcp://{ReadinessLine.Field(busReady, "modbus")}",
        };
        for (int unit = 1; unit <= Poles; unit++)
        {
            int i = unit - 1;
            arguments.AddRange(
            [
                $"--Devices:{i}:Id={PoleId(unit)}", $"--Devices:{i}:Profile={Model}", $"--Devices:{i}:Bus=rs485-poles",
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
    public async Task Every_poles_lamp_current_power_and_energy_reach_the_fleet()
    {
        var deadline = DateTime.UtcNow + ReadyTimeout;
        var missing = Enumerable.Range(1, Poles).ToHashSet();
        var latest = new Dictionary<int, Dictionary<string, double>>();
        while (missing.Count > 0 && DateTime.UtcNow < deadline)
        {
            foreach (var unit in missing.ToList())
            {
                latest[unit] = await LatestAsync(PoleId(unit));
                if (latest[unit].ContainsKey("lamp_current") && latest[unit].ContainsKey("lamp_power") && latest[unit].ContainsKey("lamp_energy"))
                    missing.Remove(unit);
            }

            if (missing.Count > 0)
                await Task.Delay(1000);
        }

        Assert.That(missing, Is.Empty, $"poles whose lamp current, power and energy did not reach the fleet.{Environment.NewLine}{Logs()}");
        Assert.Multiple(() =>
        {
            // 100 W at 230 V and power factor 0.95; the overheated driver is throttled to half, the failed lamp draws nothing.
            Assert.That(latest[1]["lamp_current"], Is.InRange(0.44, 0.475));
            Assert.That(latest[1]["lamp_power"], Is.InRange(97, 103));
            Assert.That(latest[FailedLamp]["lamp_current"], Is.Zero);
        });
    }

    [Test]
    public async Task The_overheated_driver_raises_its_alarm_at_the_fleet_and_the_failed_lamp_shows_its_fault_bit()
    {
        var alarm = await WaitForAsync(async () =>
        {
            using var response = await _http.GetAsync($"api/alarms?device={PoleId(HotDriver)}");
            if (response.StatusCode != HttpStatusCode.OK)
                return null;
            using var alarms = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            return alarms.RootElement.EnumerateArray()
                .Where(a => a.GetProperty("type").GetString()!.Contains("driver_overtemperature", StringComparison.Ordinal))
                .Select(a => (JsonElement?)a.Clone())
                .FirstOrDefault();
        }, "the overheated driver's alarm");
        // The firmware judges a lamp failed after 10 s without current; the profile's alarm waits another 2 min, so
        // the fault bit is what the fleet sees within this test.
        var failure = await WaitForAsync(async () =>
            (await LatestAsync(PoleId(FailedLamp))).TryGetValue("lamp_failure", out var bit) && bit == 1 ? JsonDocument.Parse("1").RootElement : null,
            "the failed lamp's fault bit");

        using var all = JsonDocument.Parse(await _http.GetStringAsync("api/alarms"));
        var overheated = all.RootElement.EnumerateArray()
            .Where(a => a.GetProperty("type").GetString()!.Contains("driver_overtemperature", StringComparison.Ordinal))
            .Select(a => a.GetProperty("device").GetString())
            .Distinct()
            .ToList();

        Assert.Multiple(() =>
        {
            Assert.That(alarm.GetProperty("state").GetString(), Is.EqualTo("raised"));
            Assert.That(alarm.GetProperty("message").GetString(), Does.Contain("too hot"));
            Assert.That(overheated, Is.EqualTo(new[] { PoleId(HotDriver) }));
            Assert.That(failure.GetInt32(), Is.EqualTo(1));
        });
    }

    [Test]
    public async Task A_dimming_command_reaches_the_poles_firmware_and_reads_back()
    {
        var output = await CivicAsync("command", PoleId(DimmedPole), "dim", "--arg", "level=40", "--wait", "30s", "--json");

        using var dimmed = JsonDocument.Parse(output);
        var command = dimmed.RootElement.GetProperty("commands")[0];
        var power = await WaitForAsync(async () =>
            (await LatestAsync(PoleId(DimmedPole))).TryGetValue("lamp_power", out var watts) && watts <= 43 ? JsonDocument.Parse(watts.ToString(CultureInfo.InvariantCulture)).RootElement : null,
            "the dimmed pole's power at 40 % (the firmware ramps down over its ramp time)");

        Assert.Multiple(() =>
        {
            Assert.That(command.GetProperty("state").GetString(), Is.EqualTo("succeeded"), output);
            Assert.That(command.GetProperty("result").GetProperty("value").GetDouble(), Is.EqualTo(40), "read back from the firmware");
            // 40 % on a driver whose 1 V minimum is 10 % of light: 40 W of 100.
            Assert.That(power.GetDouble(), Is.InRange(37, 43));
        });
    }

    private async Task<Dictionary<string, double>> LatestAsync(string device)
    {
        using var response = await _http.GetAsync($"api/devices/{device}/telemetry");
        if (response.StatusCode != HttpStatusCode.OK)
            return [];
        var telemetry = await response.Content.ReadFromJsonAsync(ContractsJson.Default.DeviceTelemetry);
        var latest = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var value in telemetry!.Latest)
            latest[value.Point] = value.Value;
        return latest;
    }

    private async Task<string> CivicAsync(params string[] arguments)
    {
        var process = Start("civic", BuiltExecutables.Cli, [.. arguments, "--fleet", _fleetUrl.AbsoluteUri, "--api-key", FleetAccess.AdminKey]);
        Assert.That(await process.WaitForExitAsync(TimeSpan.FromSeconds(60)), Is.Zero, process.RecentOutput);
        return process.StandardOutput;
    }

    private async Task<JsonElement> WaitForAsync(Func<Task<JsonElement?>> probe, string what)
    {
        var deadline = DateTime.UtcNow + ReadyTimeout;
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
