using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CivicEdge.Fleet.Contracts;
using CivicEdge.Fleet.Contracts.Ledger;
using CivicEdge.Simulators.Processes;
using CivicEdge.Simulators.Provisioning;

namespace CivicEdge.EndToEnd.Tests;

/// <summary>
/// Remote control as an operator uses it: civicsim serves an SLC-1 lamp controller over Modbus TCP, civicedge-gateway
/// polls it, and <c>civic command</c> dims and switches the lamp through civicedge-fleet; the results come back to the
/// command line and the lamp's new state to the fleet's telemetry — four real processes on loopback ports.
/// </summary>
[Category("EndToEnd")]
[NonParallelizable]
public sealed class LampCommandTests
{
    private const string GatewayId = "gw-e2e-cmd";
    private const string LampId = "slc-e2e-01";
    private const string Model = "civicedge-slc1";

    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(60);

    private readonly List<ChildProcess> _processes = [];
    private string _workDirectory = string.Empty;
    private Uri _fleetUrl = null!;
    private HttpClient _http = null!;

    [OneTimeSetUp]
    public async Task StartTheStreet()
    {
        _workDirectory = Directory.CreateTempSubdirectory("civicedge-e2e-cmd-").FullName;
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
        using (var enrolling = new CancellationTokenSource(ReadyTimeout))
            await GatewayEnrolment.EnrolAsync(_http, GatewayId, [new EnrolledDevice(LampId, DeviceKind.Lamp, Model)], secretFile, "lighting", enrolling.Token);

        var lamp = Start("lamp", BuiltExecutables.Simulator, "modbus", "--profile", Model, "--bind", "127.0.0.1", "--port", "0", "--seed", "3");
        var lampReady = await lamp.WaitForLineAsync(l => l.Contains("civicsim ready", StringComparison.Ordinal), ReadyTimeout);

        var gateway = Start("gateway", BuiltExecutables.Gateway,
            $"--Gateway:Id={GatewayId}",
            $"--Gateway:DataPath={Path.Combine(_workDirectory, "gateway.db")}",
            "--Gateway:Http:Url=http://127.0.0.1:0",
            "--Uplink:Host=127.0.0.1",
            $"--Uplink:Port={mqttPort}",
            $"--Uplink:Username={GatewayId}",
            $"--Uplink:PasswordFile={secretFile}",
            $"--Devices:0:Id={LampId}",
            $"--Devices:0:Profile={Model}",
            $"--Devices:0:Endpoint=tcp://{ReadinessLine.Field(lampReady, "modbus")}",
            "--Devices:0:Unit=1",
            "--Devices:0:PollInterval=1s");
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
    public async Task Civic_command_dims_and_switches_the_lamp_and_the_fleet_then_sees_its_new_state()
    {
        var dim = await CivicAsync("command", LampId, "dim", "--arg", "level=40", "--wait", "30s", "--json");
        var off = await CivicAsync("command", LampId, "switch", "--arg", "on=off", "--wait", "30s", "--json");

        using (var dimmed = JsonDocument.Parse(dim))
        {
            var command = dimmed.RootElement.GetProperty("commands")[0];
            Assert.That(command.GetProperty("state").GetString(), Is.EqualTo("succeeded"), dim);
            Assert.That(command.GetProperty("result").GetProperty("value").GetDouble(), Is.EqualTo(40), "read back from the controller");
            Assert.That(command.GetProperty("addressee").GetString(), Is.EqualTo(GatewayId));
        }

        using (var switched = JsonDocument.Parse(off))
            Assert.That(switched.RootElement.GetProperty("commands")[0].GetProperty("result").GetProperty("point").GetString(), Is.EqualTo("lamp_relay"), off);

        // The controller's metering follows its relay at its next update: the fleet sees the lamp off and drawing nothing.
        var latest = await WaitForLatestAsync(values =>
            values.GetValueOrDefault("dimming_level") == 40 && values.GetValueOrDefault("lamp_relay", 1) == 0 && values.GetValueOrDefault("lamp_power", 1) == 0);
        Assert.That(latest["lamp_relay"], Is.Zero);
    }

    [Test]
    public async Task A_write_to_a_point_the_profile_keeps_read_only_is_rejected_and_the_cli_says_why()
    {
        var process = Start("civic", BuiltExecutables.Cli,
            "command", LampId, "write", "--arg", "point=lamp_voltage", "--arg", "value=100", "--wait", "30s",
            "--fleet", _fleetUrl.AbsoluteUri, "--api-key", FleetAccess.AdminKey);

        Assert.That(await process.WaitForExitAsync(TimeSpan.FromSeconds(60)), Is.EqualTo(4), process.RecentOutput);
        Assert.That(process.StandardOutput, Does.Contain("rejected").And.Contain("does not mark writable"));
    }

    private async Task<string> CivicAsync(params string[] arguments)
    {
        var process = Start("civic", BuiltExecutables.Cli, [.. arguments, "--fleet", _fleetUrl.AbsoluteUri, "--api-key", FleetAccess.AdminKey]);
        Assert.That(await process.WaitForExitAsync(TimeSpan.FromSeconds(60)), Is.Zero, process.RecentOutput);
        return process.StandardOutput;
    }

    private async Task<Dictionary<string, double>> WaitForLatestAsync(Func<Dictionary<string, double>, bool> done)
    {
        var deadline = DateTime.UtcNow + ReadyTimeout;
        var latest = new Dictionary<string, double>(StringComparer.Ordinal);
        while (true)
        {
            using var response = await _http.GetAsync($"api/devices/{LampId}/telemetry");
            if (response.StatusCode == HttpStatusCode.OK)
            {
                var telemetry = await response.Content.ReadFromJsonAsync(ContractsJson.Default.DeviceTelemetry);
                latest = telemetry!.Latest.ToDictionary(v => v.Point, v => v.Value, StringComparer.Ordinal);
                if (done(latest))
                    return latest;
            }

            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"The lamp's new state did not reach the fleet within {ReadyTimeout.TotalSeconds:0} s; latest: " +
                            $"{string.Join(", ", latest.Select(p => $"{p.Key}={p.Value}"))}{Environment.NewLine}" +
                            string.Join(Environment.NewLine, _processes.Select(p => $"--- {p.Name}:{Environment.NewLine}{p.RecentOutput}")));
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
