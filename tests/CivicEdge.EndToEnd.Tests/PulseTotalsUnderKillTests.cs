using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using CivicEdge.Fleet.Contracts;
using CivicEdge.Fleet.Contracts.Ledger;
using CivicEdge.Simulators.Processes;
using CivicEdge.Simulators.Provisioning;

namespace CivicEdge.EndToEnd.Tests;

/// <summary>
/// A water meter's pulses counted on the gateway's GPIO (a simulated chip played by <c>Gpio:Simulation</c>) while the
/// gateway is killed with SIGKILL again and again, as a power cut would: every restart counts on from the committed
/// total, and the totals the fleet receives never go back.
/// </summary>
[Category("EndToEnd")]
[NonParallelizable]
public sealed partial class PulseTotalsUnderKillTests
{
    private const string GatewayId = "gw-e2e-gpio";
    private const string MeterId = "wm-e2e-01";
    private const int Kills = 4;
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(60);

    private readonly List<ChildProcess> _processes = [];
    private string _workDirectory = string.Empty;

    /// <summary>The gateway's MQTT password, issued when it is enrolled with the fleet.</summary>
    private string SecretFile => Path.Combine(_workDirectory, "gateway.secret");

    [TearDown]
    public async Task StopEverything()
    {
        for (var i = _processes.Count - 1; i >= 0; i--)
            await _processes[i].DisposeAsync();
        _processes.Clear();
        if (Directory.Exists(_workDirectory))
            Directory.Delete(_workDirectory, recursive: true);
    }

    [Test]
    public async Task A_pulse_total_resumes_after_every_kill_and_never_goes_back_at_the_fleet()
    {
        _workDirectory = Directory.CreateTempSubdirectory("civicedge-e2e-gpio-").FullName;
        var mqttPort = FreePort.Next();
        var fleet = Start("fleet", BuiltExecutables.Fleet,
            "--urls", "http://127.0.0.1:0",
            $"--Fleet:Broker:Port={mqttPort}",
            $"--Fleet:Storage:Path={Path.Combine(_workDirectory, "fleet.db")}",
            FleetAccess.BootstrapKeySwitch,
            "--Fleet:Ledger:CodeScheme=topic-level");
        var fleetReady = await fleet.WaitForLineAsync(l => l.Contains("civicedge-fleet ready", StringComparison.Ordinal), ReadyTimeout);
        using var http = FleetAccess.Authorized(new HttpClient { BaseAddress = new Uri(ReadinessLine.Field(fleetReady, "http") + "/"), Timeout = TimeSpan.FromSeconds(10) });
        using (var enrolling = new CancellationTokenSource(ReadyTimeout))
            await GatewayEnrolment.EnrolAsync(http, GatewayId, [new EnrolledDevice(MeterId, DeviceKind.WaterMeter, null)], SecretFile, "e2e", enrolling.Token);

        var resumedFrom = new List<long>();
        for (var round = 0; round <= Kills; round++)
        {
            var gateway = StartGateway(mqttPort, round);
            var resumed = await gateway.WaitForLineAsync(l => l.Contains("resuming from", StringComparison.Ordinal), ReadyTimeout);
            resumedFrom.Add(long.Parse(ResumedPulses().Match(resumed).Groups[1].Value, CultureInfo.InvariantCulture));
            await gateway.WaitForLineAsync(l => l.Contains("civicedge-gateway ready", StringComparison.Ordinal), ReadyTimeout);
            if (round < Kills)
            {
                // Long enough for pulses, commits and a report or two; then the power goes.
                await Task.Delay(TimeSpan.FromSeconds(2.5));
                await gateway.KillAsync();
            }
        }

        // The last run stays up until the fleet has a total at least as high as the one it resumed from.
        var totals = await WaitForTotalsAsync(http, minimum: resumedFrom[^1] * 0.01);

        Assert.That(resumedFrom, Is.Ordered.Ascending, "every restart counts on from the committed total");
        Assert.That(resumedFrom[^1], Is.GreaterThan(resumedFrom[1]), "pulses were counted between the kills");
        Assert.That(totals.Select(s => s.Value), Is.Ordered.Ascending, "the totals the fleet holds, in time order, never go back");
        Assert.That(totals.Select(s => s.Value), Has.All.Matches<double>(v => Math.Abs(v * 100 - Math.Round(v * 100)) < 1e-6),
            "whole pulses of 10 L");
    }

    private ChildProcess StartGateway(int mqttPort, int round) => Start($"gateway-{round}", BuiltExecutables.Gateway,
        $"--Gateway:Id={GatewayId}",
        $"--Gateway:DataPath={Path.Combine(_workDirectory, "gateway.db")}",
        "--Gateway:Http:Url=http://127.0.0.1:0",
        "--Uplink:Host=127.0.0.1",
        $"--Uplink:Port={mqttPort}",
        $"--Uplink:Username={GatewayId}",
        $"--Uplink:PasswordFile={SecretFile}",
        "--Uplink:BatchSize=20",
        "--Gpio:Driver=simulated",
        "--Gpio:CommitInterval=1s",
        "--Gpio:PulseCounters:0:Name=water_main",
        $"--Gpio:PulseCounters:0:DeviceId={MeterId}",
        "--Gpio:PulseCounters:0:Pin=17",
        "--Gpio:PulseCounters:0:LitresPerPulse=10",
        "--Gpio:PulseCounters:0:MinPulseWidth=10ms",
        "--Gpio:PulseCounters:0:ReportInterval=1s",
        "--Gpio:Simulation:0:Pin=17",
        "--Gpio:Simulation:0:Every=100ms",
        "--Gpio:Simulation:0:Hold=40ms");

    private async Task<IReadOnlyList<Sample>> WaitForTotalsAsync(HttpClient http, double minimum)
    {
        var deadline = DateTime.UtcNow + ReadyTimeout;
        var path = $"api/devices/{MeterId}/telemetry?limit=10000";
        while (true)
        {
            using var response = await http.GetAsync(path);
            if (response.StatusCode == HttpStatusCode.OK)
            {
                var telemetry = await response.Content.ReadFromJsonAsync(ContractsJson.Default.DeviceTelemetry);
                var totals = telemetry!.Series.SingleOrDefault(s => s.Point == "volume")?.Samples ?? [];
                if (totals.Count > 0 && totals.Max(s => s.Value) >= minimum - 1e-9)
                    return [.. totals.OrderBy(s => s.Timestamp)];
            }

            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"No total of at least {minimum} m³ reached the fleet within {ReadyTimeout.TotalSeconds:0} s." +
                    $"{Environment.NewLine}{string.Join(Environment.NewLine, _processes.Select(p => $"--- {p.Name}:{Environment.NewLine}{p.RecentOutput}"))}");
            }

            await Task.Delay(250);
        }
    }

    private ChildProcess Start(string name, string executable, params string[] arguments)
    {
        var process = ChildProcess.Start(name, executable, arguments, workingDirectory: _workDirectory);
        _processes.Add(process);
        return process;
    }

    [GeneratedRegex(@"resuming from (\d+) pulses")]
    private static partial Regex ResumedPulses();
}
