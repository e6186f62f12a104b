using System.Net.Http.Json;
using System.Security.Cryptography;
using CivicEdge.Fleet.Cli;
using CivicEdge.Fleet.Contracts.Ledger;
using CivicEdge.Fleet.Contracts.Ota;
using CivicEdge.Simulators.Load;
using Spectre.Console.Testing;

namespace CivicEdge.Fleet.Server.Tests.Ota;

/// <summary>
/// The acceptance run of a rollout: 200 devices behind 10 of civicsim's gateways on the real fleet (its broker, its
/// REST API, its campaign scheduler; the gateways download with their own ledger credentials), an artifact signed with
/// a fresh key and uploaded through the API, a campaign in waves with a canary, and 3 % of the devices failing their
/// new image's boot health check. The campaign halts by itself in the first wave that holds a failing device; nothing
/// after it is offered.
/// </summary>
[TestFixture]
[Category("EndToEnd")]
public sealed class SimulatedFleetRolloutTests
{
    private const string Model = "eastron-sdm630";
    private const string OldVersion = "1.0.0";
    private const string NewVersion = "1.1.0";
    private const string CampaignId = "meters-1.1.0";

    // Seed 7 chooses no device of the canary (the test checks it); another seed may, and then the campaign would halt
    // in the canary, which is not what this run is about.
    private const int Seed = 7;

    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);
    private static readonly byte[] Payload = RandomNumberGenerator.GetBytes(24 * 1024);

    private CancellationTokenSource _cancel = null!;
    private OtaFleet _fleet = null!;

    private CancellationToken Cancel => _cancel.Token;
    private HttpClient Http => _fleet.Http;

    [SetUp]
    public async Task SetUp()
    {
        _cancel = new CancellationTokenSource(Timeout);
        _fleet = await OtaFleet.StartAsync(new Dictionary<string, string> { ["Fleet:Ota:CampaignStepInterval"] = "00:00:00.2" }, Cancel);
    }

    [TearDown]
    public async Task TearDown()
    {
        await _fleet.DisposeAsync();
        _cancel.Dispose();
    }

    [Test]
    public async Task A_rollout_to_200_simulated_devices_passes_its_canary_then_halts_by_itself_in_the_first_wave_whose_failures_cross_the_threshold()
    {
        await _fleet.UploadAsync(OtaFleet.Manifest("meter-firmware", NewVersion, Model, Payload, DateTimeOffset.UtcNow), Payload, Cancel);
        var options = new LoadOptions
        {
            Port = _fleet.Host.MqttPort,
            Gateways = 10,
            DevicesPerGateway = 20,
            Points = 3,
            Interval = TimeSpan.FromSeconds(1),
            HealthInterval = TimeSpan.FromSeconds(5),
            Prefix = "gw-ota-",
            DeviceModel = Model,
            DeviceFirmware = OldVersion,
            // No API key: each gateway downloads with its own ledger credential, as the real gateway does.
            Ota = new LoadOtaOptions
            {
                FleetApi = Http.BaseAddress!,
                FleetHandler = _fleet.Host.Server.CreateHandler(),
                TrustedKeys = [_fleet.Key.PublicKey],
                FeedBytesPerSecond = 256 * 1024,
                FailureRate = 0.03,
                Seed = Seed,
            },
        };
        options = options with { Passwords = await LoadEnrolment.EnrolAsync(Http, options, "test-bureau", concurrency: 8, Cancel) };
        var progress = new StringWriter();
        var run = new LoadRun(options, TextWriter.Synchronized(progress));
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Cancel);
        var running = run.RunAsync(stop.Token);
        try
        {
            await run.Connected.WaitAsync(Cancel);
            var failing = run.FailingDevices;

            // Waves: a canary of 3 devices, then 10 %, 50 % and 100 % of the 200; any failed device puts a later wave
            // (at most 100 devices) above 0.5 %.
            using var created = await Http.PostAsJsonAsync("api/ota/campaigns", new OtaCampaignRequest(
                CampaignId, $"meter-firmware@{NewVersion}", Waves: ["3", "10%", "50%", "100%"], SoakTime: TimeSpan.FromSeconds(1),
                FailureThreshold: 0.005, ConfirmTimeout: TimeSpan.FromSeconds(30), HealthWindow: TimeSpan.FromSeconds(2),
                MaxConcurrentDownloads: 200, MaxConcurrentPerGateway: 20, Kind: DeviceKind.EnergyMeter, Model: Model), OtaJson.Default.OtaCampaignRequest, Cancel);
            Assert.That(created.IsSuccessStatusCode, Is.True, await created.Content.ReadAsStringAsync(Cancel));
            var planned = await CampaignAsync();
            var canary = planned.Devices!.Where(d => d.Wave == 1).Select(d => d.Device).ToList();
            Assert.That(failing, Has.Count.EqualTo(6), "3 % of the 200 devices are made to fail");
            Assert.That(canary.Intersect(failing), Is.Empty, $"seed {Seed} chose a canary device to fail; pick another seed");
            var haltingWave = planned.Devices!.Where(d => failing.Contains(d.Device)).Min(d => d.Wave);

            var halted = await WaitForAsync(c => c.State is "halted" or "completed" or "cancelled");
            var statusOutput = await CivicAsync("ota", "campaign", "status", CampaignId);
            await stop.CancelAsync();
            await running;
            var ota = run.OtaFigures!;

            var devices = halted.Devices!;
            var failingInWave = devices.Where(d => d.Wave == haltingWave && failing.Contains(d.Device)).ToList();
            var offered = devices.Where(d => d.Attempt > 0).ToList();
            Assert.That(halted.State, Is.EqualTo("halted"), halted.Reason);
            Assert.That(devices.Where(d => d.Wave == 1).Select(d => d.State), Is.All.EqualTo("succeeded"), $"the canary passes; {halted.Reason}");
            Assert.That(halted.Reason, Does.StartWith($"wave {haltingWave} of 4 ("));
            Assert.That(halted.Reason, Does.Contain("above the threshold of 0.5 %").And.Contain($"rolled back to {OldVersion}").And.Contain("failed its boot health check"));
            Assert.That(devices.Where(d => d.State == "failed").Select(d => d.Device), Is.SubsetOf(failing), "only the devices chosen to fail fail");
            Assert.That(failingInWave.Where(d => d.State == "failed"), Is.Not.Empty);
            foreach (var device in failingInWave.Where(d => d.State == "failed"))
            {
                Assert.That(device.RunningVersion, Is.EqualTo(OldVersion), device.Device);
                Assert.That((await LedgerAsync(device.Device)).Firmware, Is.EqualTo(OldVersion), $"{device.Device} is in the ledger on its previous version");
            }

            foreach (var device in devices.Where(d => d.State == "succeeded").Take(5))
                Assert.That((await LedgerAsync(device.Device)).Firmware, Is.EqualTo(NewVersion), $"{device.Device} is in the ledger on the new version");
            Assert.That(devices.Where(d => d.Wave > haltingWave).Select(d => (d.State, d.Attempt)), Is.All.EqualTo(("pending", 0)), "no wave after the halting one is offered");
            Assert.That(ota.Offers, Is.EqualTo(offered.Count), "the gateways were offered exactly the devices of the waves reached");
            Assert.That(ota.Downloads, Is.EqualTo(offered.Select(d => d.Addressee).Distinct().Count()), "each gateway downloads the artifact once");
            Assert.That(ota.DownloadedBytes, Is.EqualTo(ota.Downloads * Payload.Length));
            Assert.That(ota.Versions[NewVersion], Is.EqualTo(ota.Confirmed));
            Assert.That(statusOutput, Does.Contain("halted").And.Contain($"wave {haltingWave} of 4"));
            Assert.That(statusOutput, Does.Contain(failingInWave.First(d => d.State == "failed").Device).And.Contain("failed its boot health check"));
            Assert.That(progress.ToString(), Does.Contain($"civicsim load ota seed={Seed} failure_rate=0.03 failing={failing.Count} {string.Join(',', failing)}"));
        }
        finally
        {
            await stop.CancelAsync();
            await running.ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }

    private async Task<OtaCampaign> CampaignAsync() =>
        (await Http.GetFromJsonAsync($"api/ota/campaigns/{CampaignId}", OtaJson.Default.OtaCampaign, Cancel))!;

    private async Task<OtaCampaign> WaitForAsync(Func<OtaCampaign, bool> done)
    {
        while (true)
        {
            var campaign = await CampaignAsync();
            if (done(campaign))
                return campaign;
            await Task.Delay(200, Cancel);
        }
    }

    private async Task<LedgerDevice> LedgerAsync(string code) =>
        (await Http.GetFromJsonAsync($"api/devices/{code}", LedgerJson.Default.DeviceDetails, Cancel))!.Ledger!;

    private async Task<string> CivicAsync(params string[] args)
    {
        var console = new TestConsole().Width(250);
        var root = CivicCommandLine.Build(console, baseAddress => new HttpClient(_fleet.Host.Server.CreateHandler()) { BaseAddress = baseAddress }, environment: _ => null);
        var exit = await root.Parse(["--api-key", FleetHost.AdminKey, .. args]).InvokeAsync(new System.CommandLine.InvocationConfiguration { Output = TextWriter.Null, Error = TextWriter.Null }, Cancel);
        Assert.That(exit, Is.Zero, $"civic {string.Join(' ', args)}:{Environment.NewLine}{console.Output}");
        return console.Output;
    }
}
