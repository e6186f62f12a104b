using System.Buffers;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using System.Threading.Channels;
using CivicEdge.Fleet.Contracts;
using CivicEdge.Fleet.Contracts.Access;
using CivicEdge.Fleet.Contracts.Ledger;
using CivicEdge.Fleet.Contracts.Ota;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;

namespace CivicEdge.Fleet.Server.Tests.Ota;

/// <summary>
/// Campaigns on a real fleet: created over the ledger through the API, offers received over MQTT by the gateway with
/// its own credentials, status reports sent back, the campaign halting by itself and the API saying why.
/// </summary>
[TestFixture]
[Category("Integration")]
public sealed class CampaignApiTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);
    private static readonly byte[] Payload = RandomNumberGenerator.GetBytes(64_000);

    private OtaFleet _fleet = null!;
    private IMqttClient _gateway = null!;
    private Channel<OtaOffer> _offers = null!;
    private CancellationTokenSource _cancel = null!;

    private CancellationToken Cancel => _cancel.Token;
    private HttpClient Http => _fleet.Http;

    [SetUp]
    public async Task SetUp()
    {
        _cancel = new CancellationTokenSource(Timeout);
        _fleet = await OtaFleet.StartAsync(new Dictionary<string, string> { ["Fleet:Ota:CampaignStepInterval"] = "00:00:00.2" }, Cancel);
        await _fleet.UploadAsync(OtaFleet.Manifest("pole-controller", "2.4.0", "slc-200", Payload, OtaFleet.Released), Payload, Cancel);

        var secret = await _fleet.Host.ProvisionAsync("gw-1", Cancel);
        foreach (var code in new[] { "slc-1", "slc-2", "slc-3", "slc-4" })
        {
            using var registered = await Http.PostAsJsonAsync("/api/devices",
                new DeviceRegistration { Code = code, Kind = DeviceKind.PoleController, Model = "SLC-200", Firmware = "2.3.1", Tenant = "test-bureau", Gateway = "gw-1", By = "test" },
                LedgerJson.Default.DeviceRegistration, Cancel);
            registered.EnsureSuccessStatusCode();
        }

        _offers = Channel.CreateUnbounded<OtaOffer>();
        _gateway = new MqttClientFactory().CreateMqttClient();
        _gateway.ApplicationMessageReceivedAsync += args =>
        {
            _offers.Writer.TryWrite(JsonSerializer.Deserialize(args.ApplicationMessage.Payload.ToArray(), OtaJson.Default.OtaOffer)!);
            return Task.CompletedTask;
        };
        await _gateway.ConnectAsync(new MqttClientOptionsBuilder()
            .WithTcpServer("127.0.0.1", _fleet.Host.MqttPort)
            .WithProtocolVersion(MqttProtocolVersion.V500)
            .WithClientId("gw-1")
            .WithCredentials("gw-1", secret)
            .Build(), Cancel);
        await _gateway.SubscribeAsync(Topics.Ota("gw-1"), MqttQualityOfServiceLevel.AtLeastOnce, Cancel);
    }

    [TearDown]
    public async Task TearDown()
    {
        await _gateway.TryDisconnectAsync();
        _gateway.Dispose();
        await _fleet.DisposeAsync();
        _cancel.Dispose();
    }

    [Test]
    public async Task A_canary_that_rolls_back_halts_the_campaign_by_itself_and_the_api_says_which_wave_and_why_then_retry_offers_it_again()
    {
        using var created = await CreateAsync(new OtaCampaignRequest("c-1", "pole-controller@2.4.0", Waves: ["1", "100%"], FailureThreshold: 0.3, SoakTime: TimeSpan.Zero));
        var offer = await _offers.Reader.ReadAsync(Cancel);
        await ReportAsync(offer, 1, OtaPhase.Downloading, bytes: 32_000);
        await ReportAsync(offer, 2, OtaPhase.RolledBack, running: "2.3.1", reason: "watchdog reset in the trial boot");
        var halted = await WaitForAsync("c-1", c => c.State == "halted");
        using var resumed = await Http.PostAsync("api/ota/campaigns/c-1/resume", null, Cancel);
        using var retried = await Http.PostAsync("api/ota/campaigns/c-1/retry", null, Cancel);
        var again = await _offers.Reader.ReadAsync(Cancel);

        Assert.That(created.StatusCode, Is.EqualTo(HttpStatusCode.Created), await created.Content.ReadAsStringAsync(Cancel));
        Assert.That((offer.CampaignId, offer.Target, offer.Attempt, offer.ArtifactId, offer.Size), Is.EqualTo(("c-1", "slc-1", 1, "pole-controller@2.4.0", (long)Payload.Length)));
        Assert.That(offer.DownloadPath, Is.EqualTo("api/ota/artifacts/pole-controller@2.4.0/payload"));
        Assert.That(halted.Reason, Does.StartWith("wave 1 of 2 (1): 1 of 1 devices failed (100 %), above the threshold of 30 %; slc-1: rolled back to 2.3.1: watchdog reset in the trial boot"));
        Assert.That(halted.Waves.Select(w => (w.Number, w.Devices, w.Failed)), Is.EqualTo(new[] { (1, 1, 1), (2, 3, 0) }));
        Assert.That(halted.Size, Is.EqualTo(Payload.Length), "the image's size, against which a device's bytes are its progress");
        Assert.That(halted.Devices!.Single(d => d.Device == "slc-1"), Is.EqualTo(new OtaCampaignDevice("slc-1", "gw-1", 1, "failed", 1, "2.3.1", "2.3.1", 32_000, "rolled back to 2.3.1: watchdog reset in the trial boot")));
        Assert.That(resumed.StatusCode, Is.EqualTo(HttpStatusCode.Conflict), "only a paused campaign resumes; a halted one is retried");
        Assert.That(retried.StatusCode, Is.EqualTo(HttpStatusCode.OK), await retried.Content.ReadAsStringAsync(Cancel));
        Assert.That((again.Target, again.Attempt), Is.EqualTo(("slc-1", 2)));
    }

    [Test]
    public async Task A_campaign_with_a_bad_wave_and_threshold_is_refused_naming_each_field()
    {
        using var refused = await CreateAsync(new OtaCampaignRequest("c-2", "pole-controller@2.4.0", Waves: ["10%", "half"], FailureThreshold: 2));
        var body = await refused.Content.ReadAsStringAsync(Cancel);

        Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(body, Does.Contain("waves: expected each wave as a share such as 10% or a number of devices such as 5, found 'half'"));
        using var unknown = await CreateAsync(new OtaCampaignRequest("c-3", "pole-controller@9.9.9"));
        Assert.That(await unknown.Content.ReadAsStringAsync(Cancel), Does.Contain("artifactId: expected an uploaded artifact, found no 'pole-controller@9.9.9'"));
    }

    [Test]
    public async Task A_daylight_window_with_a_bad_offset_a_second_one_or_a_location_that_is_not_a_place_is_refused_naming_each_field()
    {
        using var badOffset = await CreateAsync(new OtaCampaignRequest("c-d1", "pole-controller@2.4.0", Windows: ["daylight-30m"]));
        using var twice = await CreateAsync(new OtaCampaignRequest("c-d2", "pole-controller@2.4.0", Windows: ["daylight", "daylight+1h"]));
        using var notAPlace = await CreateAsync(new OtaCampaignRequest("c-d3", "pole-controller@2.4.0", Windows: ["daylight"], Location: "Futian"));
        using var unused = await CreateAsync(new OtaCampaignRequest("c-d4", "pole-controller@2.4.0", Windows: ["22:00-04:00"], Location: "22.54,114.06"));
        using var tooLate = await CreateAsync(new OtaCampaignRequest("c-d5", "pole-controller@2.4.0", Windows: ["daylight+5h"], Location: "22.54,194.06"));

        Assert.That(new[] { badOffset.StatusCode, twice.StatusCode, notAPlace.StatusCode, unused.StatusCode, tooLate.StatusCode }, Is.All.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(await badOffset.Content.ReadAsStringAsync(Cancel), Does.Contain("windows: expected local times such as 22:00-04:00, or daylight with an optional offset such as daylight+30m, found 'daylight-30m'"));
        Assert.That(await twice.Content.ReadAsStringAsync(Cancel), Does.Contain("windows: expected at most one daylight window, found 'daylight+30m' and 'daylight+1h'"));
        Assert.That(await notAPlace.Content.ReadAsStringAsync(Cancel), Does.Contain("location: expected a latitude and a longitude in degrees such as 22.54,114.06, found 'Futian'"));
        Assert.That(await unused.Content.ReadAsStringAsync(Cancel), Does.Contain("location: only a daylight window uses a location"));
        var late = await tooLate.Content.ReadAsStringAsync(Cancel);
        Assert.That(late, Does.Contain("windows: expected a daylight offset from 0 to 4 h, found 05:00:00"));
        Assert.That(late, Does.Contain("location: expected a latitude from -90 to 90 and a longitude from -180 to 180, found 22.54,194.06"));
    }

    [Test]
    public async Task A_daylight_campaign_shows_its_windows_and_location_and_holds_poles_the_ledger_cannot_place_saying_why()
    {
        using var placed = await CreateAsync(new OtaCampaignRequest("c-sz", "pole-controller@2.4.0", Windows: ["09:00-17:00", "daylight+45m"], UtcOffset: TimeSpan.FromHours(8), Location: "22.54,114.06"));
        using var unplaced = await CreateAsync(new OtaCampaignRequest("c-nowhere", "pole-controller@2.4.0", Windows: ["daylight"]));

        var shown = await placed.Content.ReadFromJsonAsync(OtaJson.Default.OtaCampaign, Cancel);
        Assert.That(placed.StatusCode, Is.EqualTo(HttpStatusCode.Created), await placed.Content.ReadAsStringAsync(Cancel));
        Assert.That((shown!.Windows, shown.UtcOffset, shown.Location), Is.EqualTo((new[] { "09:00-17:00", "daylight+45m" }, (TimeSpan?)TimeSpan.FromHours(8), "22.54,114.06")));
        var held = await WaitForAsync("c-nowhere", c => c.Devices!.Any(d => d.Reason is not null));
        Assert.That(unplaced.StatusCode, Is.EqualTo(HttpStatusCode.Created), await unplaced.Content.ReadAsStringAsync(Cancel));
        Assert.That(held.Devices!.Where(d => d.Reason is not null).Select(d => (d.State, d.Reason)), Is.EqualTo(new[]
        {
            ("pending", "held: the daylight window needs the device's place; the ledger has no latitude and longitude for it and the campaign gives no location"),
        }));
        var offered = new List<OtaOffer>();
        while (_offers.Reader.TryRead(out var offer))
            offered.Add(offer);
        Assert.That(offered.Where(o => o.CampaignId == "c-nowhere"), Is.Empty, "nothing is offered to a pole held for want of a place");
    }

    [Test]
    public async Task A_caller_outside_the_campaigns_tenant_does_not_see_it_nor_can_pause_it()
    {
        using var created = await CreateAsync(new OtaCampaignRequest("c-4", "pole-controller@2.4.0", Tenant: "test-bureau"));
        using var other = _fleet.Host.CreateClient(await OtherTenantOperatorKeyAsync());

        using var seen = await other.GetAsync("api/ota/campaigns/c-4", Cancel);
        using var paused = await other.PostAsync("api/ota/campaigns/c-4/pause", null, Cancel);
        var listed = await other.GetFromJsonAsync("api/ota/campaigns", OtaJson.Default.IReadOnlyListOtaCampaign, Cancel);

        Assert.That(created.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        Assert.That((seen.StatusCode, paused.StatusCode), Is.EqualTo((HttpStatusCode.NotFound, HttpStatusCode.NotFound)));
        Assert.That(listed, Is.Empty);
    }

    private async Task<string> OtherTenantOperatorKeyAsync()
    {
        using var created = await Http.PostAsJsonAsync("api/keys",
            new NewApiKey("water operator", FleetRole.Operator, ["water"], false, DateTimeOffset.UtcNow.AddDays(1)), AccessJson.Default.NewApiKey, Cancel);
        return (await created.Content.ReadFromJsonAsync(AccessJson.Default.IssuedApiKey, Cancel))!.Key;
    }

    private Task<HttpResponseMessage> CreateAsync(OtaCampaignRequest request) =>
        Http.PostAsJsonAsync("api/ota/campaigns", request, OtaJson.Default.OtaCampaignRequest, Cancel);

    private async Task ReportAsync(OtaOffer offer, long sequence, OtaPhase phase, string? running = null, string? reason = null, long? bytes = null)
    {
        var report = new OtaStatusReport(offer.CampaignId, offer.Target, offer.Attempt, sequence, phase, bytes, running, reason, DateTimeOffset.UtcNow);
        await _gateway.PublishAsync(new MqttApplicationMessageBuilder()
            .WithTopic(Topics.OtaStatus("gw-1"))
            .WithPayload(JsonSerializer.SerializeToUtf8Bytes(report, OtaJson.Default.OtaStatusReport))
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .Build(), Cancel);
    }

    private async Task<OtaCampaign> WaitForAsync(string id, Func<OtaCampaign, bool> condition)
    {
        string last = "nothing";
        for (var tries = 0; tries < 100; tries++)
        {
            var campaign = await Http.GetFromJsonAsync($"api/ota/campaigns/{id}", OtaJson.Default.OtaCampaign, Cancel);
            if (condition(campaign!))
                return campaign!;
            last = JsonSerializer.Serialize(campaign!, OtaJson.Default.OtaCampaign);
            await Task.Delay(100, Cancel);
        }
        Assert.Fail($"Campaign {id} did not get there within 10 s; last seen: {last}");
        throw new InvalidOperationException("unreachable");
    }
}
