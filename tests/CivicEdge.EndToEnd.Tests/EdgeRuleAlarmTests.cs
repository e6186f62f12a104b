using System.Net;
using System.Text.Json;
using CivicEdge.Fleet.Contracts.Ledger;
using CivicEdge.Simulators.Processes;
using CivicEdge.Simulators.Provisioning;

namespace CivicEdge.EndToEnd.Tests;

/// <summary>
/// An edge rule end to end: civicsim serves an SLC-1 lamp controller whose lamp fails and is repaired on a script,
/// civicedge-gateway polls it every 10 s (the profile's interval) and runs the shipped pole lamp-failure template, and
/// civicedge-fleet turns the rule's events into an alarm — three real processes on loopback ports.
/// </summary>
[Category("EndToEnd")]
[NonParallelizable]
public sealed class EdgeRuleAlarmTests
{
    private const string GatewayId = "gw-e2e-rules";
    private const string LampId = "slc-e2e-rules";
    private const string Model = "civicedge-slc1";
    private static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(60);

    private readonly List<ChildProcess> _processes = [];
    private string _workDirectory = string.Empty;
    private HttpClient _http = null!;

    [SetUp]
    public async Task StartTheStreet()
    {
        _workDirectory = Directory.CreateTempSubdirectory("civicedge-e2e-rules-").FullName;
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
        using (var enrolling = new CancellationTokenSource(ReadyTimeout))
            await GatewayEnrolment.EnrolAsync(_http, GatewayId, [new EnrolledDevice(LampId, DeviceKind.Lamp, Model)], secretFile, "lighting", enrolling.Token);

        // The lamp fails 20 s after civicsim starts and is repaired 40 s later: time for the gateway to start and read
        // it lit first, and for the alarm to be raised before the repair.
        var lamp = Start("lamp", BuiltExecutables.Simulator, "modbus", "--profile", Model, "--bind", "127.0.0.1", "--port", "0", "--seed", "5",
            "--lamp-failure", "20s..60s");
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
            "--Rules:Enabled=true",
            $"--Rules:Files:0={Path.Combine(BuiltExecutables.RepositoryRoot.FullName, "hardware", "rules", "pole-lamp-failure.yaml")}");
        await gateway.WaitForLineAsync(l => l.Contains("civicedge-gateway ready", StringComparison.Ordinal), ReadyTimeout);
    }

    [TearDown]
    public async Task StopEverything()
    {
        _http?.Dispose();
        for (var i = _processes.Count - 1; i >= 0; i--)
            await _processes[i].DisposeAsync();
        _processes.Clear();
        if (Directory.Exists(_workDirectory))
            Directory.Delete(_workDirectory, recursive: true);
    }

    [Test]
    public async Task A_lamp_that_fails_raises_a_rule_alarm_at_the_fleet_within_two_poll_cycles_and_it_clears_when_the_lamp_is_repaired()
    {
        var raised = await WaitForAlarmAsync(a => a.GetProperty("state").GetString() == "raised", "the lamp-failure alarm raised");
        var darkSince = await FirstDarkReadingAsync();

        Assert.That(raised.GetProperty("source").GetString(), Is.EqualTo("rule"));
        Assert.That(raised.GetProperty("severity").GetString(), Is.EqualTo("major"));
        Assert.That(raised.GetProperty("message").GetString(), Does.Contain("Lamp failure at " + LampId));
        var delay = raised.GetProperty("firstRaised").GetDateTimeOffset() - darkSince;
        TestContext.Out.WriteLine($"lamp read dark at {darkSince:O}; alarm raised {delay.TotalSeconds:0.0} s later");
        Assert.That(delay, Is.LessThanOrEqualTo(2 * PollInterval), "within two poll cycles of the poll that read the lamp dark");

        var cleared = await WaitForAlarmAsync(a => a.GetProperty("state").GetString() == "cleared", "the alarm cleared after the repair");
        Assert.That(cleared.GetProperty("id").GetInt64(), Is.EqualTo(raised.GetProperty("id").GetInt64()), "the same alarm, cleared");
    }

    private async Task<JsonElement> WaitForAlarmAsync(Func<JsonElement, bool> wanted, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(120);
        while (true)
        {
            using var response = await _http.GetAsync($"api/alarms?device={LampId}&type=rule.lamp_failure");
            if (response.StatusCode == HttpStatusCode.OK)
            {
                using var alarms = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
                if (alarms.RootElement.EnumerateArray().FirstOrDefault(wanted) is { ValueKind: JsonValueKind.Object } alarm)
                    return alarm.Clone();
            }

            if (DateTime.UtcNow > deadline)
                Assert.Fail($"Gave up waiting for {what}.{Environment.NewLine}" + string.Join(Environment.NewLine, _processes.Select(p => $"--- {p.Name}:{Environment.NewLine}{p.RecentOutput}")));
            await Task.Delay(500);
        }
    }

    /// <summary>When the gateway first read the lamp drawing nothing, from the fleet's telemetry.</summary>
    private async Task<DateTimeOffset> FirstDarkReadingAsync()
    {
        using var response = await _http.GetAsync($"api/devices/{LampId}/telemetry/export?format=json&points=lamp_current");
        var body = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), body);
        using var rows = JsonDocument.Parse(body);
        var dark = rows.RootElement.EnumerateArray()
            .Where(row => row.GetProperty("point").GetString() == "lamp_current" && row.GetProperty("value").GetDouble() == 0)
            .Select(row => row.GetProperty("time").GetDateTimeOffset())
            .Order()
            .ToList();
        Assert.That(dark, Is.Not.Empty, body);
        return dark[0];
    }

    private ChildProcess Start(string name, string executable, params string[] arguments)
    {
        var process = ChildProcess.Start(name, executable, arguments, workingDirectory: _workDirectory);
        _processes.Add(process);
        return process;
    }
}
