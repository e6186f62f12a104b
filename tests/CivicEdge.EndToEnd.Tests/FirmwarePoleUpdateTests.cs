using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CivicEdge.Firmware.Host;
using CivicEdge.Fleet.Contracts.Ledger;
using CivicEdge.Fleet.Contracts.Ota;
using CivicEdge.Simulators.Processes;
using CivicEdge.Simulators.Provisioning;

namespace CivicEdge.EndToEnd.Tests;

/// <summary>
/// A firmware update from the fleet down to poles on a gateway's RS-485 bus, as an operator runs it: a release key
/// made, an image signed and uploaded, and a campaign created with the real <c>civic</c> CLI; civicedge-fleet offers it
/// to civicedge-gateway, whose relay downloads it with the gateway's own ledger credential (its MQTT user and password,
/// HTTP Basic) and feeds it to two pole controllers that civicsim runs with the
/// firmware's own Modbus slave and update receiver (<c>--updatable</c>) behind a serial-to-Ethernet converter. One
/// pole boots the new image, confirms it, keeps sending telemetry through the health window and counts as a success;
/// on the other, any new image fails its boot health check (<c>--fails-update</c>), so it rolls back and the fleet
/// shows it failed on its old version with the reason.
/// </summary>
[Category("EndToEnd")]
[NonParallelizable]
public sealed class FirmwarePoleUpdateTests
{
    private const string GatewayId = "gw-e2e-ota";
    private const string Model = "civicedge-slc1";
    private const string Healthy = "slc-ota-01";
    private const string Failing = "slc-ota-02";
    private const string OldVersion = "1.0.0";
    private const string NewVersion = "1.1.0";
    private const int ImageBytes = 24 * 1024;
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan HealthWindow = TimeSpan.FromSeconds(4);

    private readonly List<ChildProcess> _processes = [];
    private string _work = string.Empty;
    private Uri _fleetUrl = null!;
    private HttpClient _http = null!;

    [SetUp]
    public async Task StartTheFleetTheGatewayAndThePoles()
    {
        _work = Directory.CreateTempSubdirectory("civicedge-e2e-pole-ota-").FullName;
        await CivicAsync(fleet: false, "ota", "keygen", "release", "--dir", _work);
        var publicKey = Path.Combine(_work, "release.pub.pem");

        var mqttPort = FreePort.Next();
        var fleet = Start("fleet", BuiltExecutables.Fleet,
            "--urls", "http://127.0.0.1:0",
            $"--Fleet:Broker:Port={mqttPort}",
            $"--Fleet:Storage:Path={Path.Combine(_work, "fleet.db")}",
            $"--Fleet:Ota:TrustedKeyFiles:0={publicKey}",
            "--Fleet:Ota:CampaignStepInterval=00:00:00.5",
            FleetAccess.BootstrapKeySwitch,
            "--Fleet:Ledger:CodeScheme=topic-level");
        _fleetUrl = new Uri(ReadinessLine.Field(await fleet.WaitForLineAsync(l => l.Contains("civicedge-fleet ready", StringComparison.Ordinal), ReadyTimeout), "http") + "/");
        _http = FleetAccess.Authorized(new HttpClient { BaseAddress = _fleetUrl, Timeout = TimeSpan.FromSeconds(10) });

        var secretFile = Path.Combine(_work, "gateway.secret");
        using (var enrolling = new CancellationTokenSource(ReadyTimeout))
        {
            await GatewayEnrolment.EnrolAsync(_http, GatewayId,
                [new EnrolledDevice(Healthy, DeviceKind.Lamp, Model), new EnrolledDevice(Failing, DeviceKind.Lamp, Model)], secretFile, "lighting", enrolling.Token);
        }

        var poles = Start("poles", BuiltExecutables.Simulator,
            "firmware", "pole", "--count", "2", "--rtu-over-tcp", "127.0.0.1:0", "--updatable", "--firmware-version", OldVersion, "--fails-update", "2");
        var polesReady = await poles.WaitForLineAsync(l => l.Contains("civicsim ready", StringComparison.Ordinal), ReadyTimeout);

        Start("gateway", BuiltExecutables.Gateway,
            $"--Gateway:Id={GatewayId}",
            $"--Gateway:DataPath={Path.Combine(_work, "gateway.db")}",
            "--Gateway:Http:Url=http://127.0.0.1:0",
            "--Uplink:Host=127.0.0.1",
            $"--Uplink:Port={mqttPort}",
            $"--Uplink:Username={GatewayId}",
            $"--Uplink:PasswordFile={secretFile}",
            "--Buses:0:Id=rs485-poles",
            "--Buses:0:Kind=rtu-over-tcp",
            $"--Buses:0:Endpoint=tcp://{ReadinessLine.Field(polesReady, "modbus")}",
            $"--Devices:0:Id={Healthy}", $"--Devices:0:Profile={Model}", "--Devices:0:Bus=rs485-poles", "--Devices:0:Unit=1", "--Devices:0:PollInterval=1s",
            $"--Devices:1:Id={Failing}", $"--Devices:1:Profile={Model}", "--Devices:1:Bus=rs485-poles", "--Devices:1:Unit=2", "--Devices:1:PollInterval=1s",
            "--DeviceUpdate:Enabled=true",
            $"--DeviceUpdate:Profiles:0={Model}",
            // Small chunks and a short progress interval, so that the device's progress is seen on its way.
            "--DeviceUpdate:Transfer:ChunkBytes=128",
            "--DeviceUpdate:Transfer:ProgressInterval=00:00:00.5",
            "--DeviceUpdate:Transfer:StatusInterval=00:00:00.25",
            $"--SelfUpdate:FleetUrl={_fleetUrl}",
            $"--SelfUpdate:TrustedKeyFiles:0={publicKey}");
        await _processes[^1].WaitForLineAsync(l => l.Contains("civicedge-gateway ready", StringComparison.Ordinal), ReadyTimeout);
    }

    [TearDown]
    public async Task StopEverything()
    {
        _http?.Dispose();
        for (var i = _processes.Count - 1; i >= 0; i--)
            await _processes[i].DisposeAsync();
        _processes.Clear();
        if (Directory.Exists(_work))
            Directory.Delete(_work, recursive: true);
    }

    [Test]
    [CancelAfter(180_000)]
    public async Task A_campaign_updates_one_pole_through_the_gateway_and_the_pole_that_fails_its_boot_check_rolls_back_on_its_old_version(CancellationToken ct)
    {
        await WaitForTelemetryAsync([Healthy, Failing], ct);
        var image = Path.Combine(_work, "slc1-" + NewVersion + ".bin");
        await File.WriteAllBytesAsync(image, SimulatedFirmwareImage.Create(NewVersion, ImageBytes, seed: 42), ct);
        var package = Path.Combine(_work, "slc1-" + NewVersion + ".cota");
        await CivicAsync(fleet: false, "ota", "sign", image, "--key", Path.Combine(_work, "release.key.pem"), "--product", "pole-controller",
            "--kind", "firmware", "--model", Model, "--version", NewVersion, "--out", package);
        await CivicAsync(fleet: true, "ota", "upload", package);
        await CivicAsync(fleet: true, "ota", "campaign", "create", "street-1.1.0", "--artifact", "pole-controller@" + NewVersion, "--model", Model,
            "--wave", "100%", "--soak", "00:00:00", "--threshold", "0.5", "--health-window", HealthWindow.ToString("c", CultureInfo.InvariantCulture), "--confirm-timeout", "00:02:00");

        var seen = new Dictionary<string, List<OtaCampaignDevice>>(StringComparer.Ordinal) { [Healthy] = [], [Failing] = [] };
        var campaign = await WatchAsync("street-1.1.0", seen, c => c.State is "halted" or "completed" && c.Devices!.All(d => d.State is "succeeded" or "failed"), ct);
        var status = await CivicAsync(fleet: true, "ota", "campaign", "status", "street-1.1.0");

        var healthy = campaign.Devices!.Single(d => d.Device == Healthy);
        var failing = campaign.Devices!.Single(d => d.Device == Failing);
        var progress = seen.Values.SelectMany(states => states).Where(d => d.State is "offered" or "installing" && d.BytesReceived is > 0 and < ImageBytes).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(campaign.Size, Is.EqualTo(ImageBytes));
            Assert.That(progress, Is.Not.Empty, "bytes a pole had acknowledged, seen in the campaign while it was fed");
            Assert.That((healthy.State, healthy.RunningVersion, healthy.BytesReceived), Is.EqualTo(("succeeded", NewVersion, (long?)ImageBytes)), Logs());
            Assert.That(seen[Healthy].Select(d => d.State), Does.Contain("confirmed"), "confirmed first, then a success only after its health window");
            Assert.That(seen[Healthy].SkipWhile(d => d.State != "confirmed").Select(d => d.State).Distinct(), Is.EqualTo(new[] { "confirmed", "succeeded" }));
            Assert.That((failing.State, failing.RunningVersion), Is.EqualTo(("failed", OldVersion)), Logs());
            Assert.That(failing.Reason, Does.StartWith($"rolled back to {OldVersion}: ").And.Contain("never confirmed itself healthy"));
            Assert.That(campaign.State, Is.EqualTo("completed"), "one pole of two failed, not above the threshold of 50 %");
            Assert.That(status, Does.Contain("completed").And.Contain(Failing).And.Contain("rolled back to " + OldVersion));
        });
        Assert.That(await LedgerFirmwareAsync(Healthy, ct), Is.EqualTo(NewVersion));
        Assert.That(await LedgerFirmwareAsync(Failing, ct), Is.EqualTo(OldVersion));
        // The gateway reports by exception (the profile's deadbands), so a steady lamp sends nothing new: a command
        // carried down to the updated firmware and read back shows it serving its points on the new image.
        using var dimmed = JsonDocument.Parse(await CivicAsync(fleet: true, "command", Healthy, "dim", "--arg", "level=40", "--wait", "30s", "--json"));
        var command = dimmed.RootElement.GetProperty("commands")[0];
        Assert.That(command.GetProperty("state").GetString(), Is.EqualTo("succeeded"), command.ToString());
        Assert.That(command.GetProperty("result").GetProperty("value").GetDouble(), Is.EqualTo(40), "read back from the updated pole");
    }

    private async Task<OtaCampaign> WatchAsync(string id, Dictionary<string, List<OtaCampaignDevice>> seen, Func<OtaCampaign, bool> done, CancellationToken ct)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(120);
        while (true)
        {
            using var response = await _http.GetAsync($"api/ota/campaigns/{id}", ct);
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync(ct));
            var campaign = (await response.Content.ReadFromJsonAsync(OtaJson.Default.OtaCampaign, ct))!;
            foreach (var device in campaign.Devices ?? [])
                seen[device.Device].Add(device);
            if (done(campaign))
                return campaign;
            if (DateTime.UtcNow > deadline)
                Assert.Fail($"The campaign did not end: {JsonSerializer.Serialize(campaign, OtaJson.Default.OtaCampaign)}{Environment.NewLine}{Logs()}");
            await Task.Delay(200, ct);
        }
    }

    private async Task WaitForTelemetryAsync(IReadOnlyList<string> devices, CancellationToken ct)
    {
        var deadline = DateTime.UtcNow + ReadyTimeout;
        foreach (var device in devices)
        {
            while (await TelemetryCountAsync(device, ct) == 0)
            {
                if (DateTime.UtcNow > deadline)
                    Assert.Fail($"No telemetry of {device} reached the fleet.{Environment.NewLine}{Logs()}");
                await Task.Delay(500, ct);
            }
        }
    }

    private async Task<long> TelemetryCountAsync(string device, CancellationToken ct)
    {
        using var response = await _http.GetAsync($"api/devices/{device}", ct);
        if (response.StatusCode != HttpStatusCode.OK)
            return 0;
        using var details = JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct));
        return details.RootElement.GetProperty("readings").GetInt64();
    }

    private async Task<string?> LedgerFirmwareAsync(string device, CancellationToken ct)
    {
        using var details = JsonDocument.Parse(await _http.GetStringAsync($"api/devices/{device}", ct));
        return details.RootElement.GetProperty("ledger").GetProperty("firmware").GetString();
    }

    private async Task<string> CivicAsync(bool fleet, params string[] arguments)
    {
        string[] all = fleet ? [.. arguments, "--fleet", _fleetUrl.AbsoluteUri, "--api-key", FleetAccess.AdminKey] : arguments;
        var process = Start("civic " + arguments[1], BuiltExecutables.Cli, all);
        Assert.That(await process.WaitForExitAsync(ReadyTimeout), Is.Zero, process.RecentOutput);
        return process.StandardOutput;
    }

    private string Logs() => string.Join(Environment.NewLine, _processes.Where(p => !p.Name.StartsWith("civic ", StringComparison.Ordinal))
        .Select(p => $"--- {p.Name}:{Environment.NewLine}{p.RecentOutput}"));

    private ChildProcess Start(string name, string executable, params string[] arguments)
    {
        var process = ChildProcess.Start(name, executable, arguments, workingDirectory: _work);
        _processes.Add(process);
        return process;
    }
}
