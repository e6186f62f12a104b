using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text.Json;
using CivicEdge.Fleet.Contracts;
using CivicEdge.Fleet.Contracts.Ota;
using CivicEdge.Simulators.Load;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;

namespace CivicEdge.Simulators.Tests.Load;

/// <summary>
/// civicsim load's gateways taking OTA offers as the real gateway's relay does: a broker, a fleet's MQTT client that
/// publishes offers and collects the numbered reports, and the artifact download as a handler serving ranges.
/// </summary>
[TestFixture]
[Category("Integration")]
public sealed class LoadOtaTests
{
    private const string Gateway = "gw-ota-00001";
    private const string Path = "api/ota/artifacts/meter-firmware@1.1.0/payload";
    private static readonly byte[] Payload = RandomNumberGenerator.GetBytes((256 * 1024 * 2) + 1000);

    private CancellationTokenSource _cancel = null!;
    private OtaSigningKey _key = null!;
    private AckingFleet _fleet = null!;
    private IMqttClient _client = null!;
    private ConcurrentQueue<OtaStatusReport> _reports = null!;

    [SetUp]
    public async Task SetUp()
    {
        _cancel = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        _key = OtaSigningKey.Generate();
        _fleet = await AckingFleet.StartAsync();
        _reports = new ConcurrentQueue<OtaStatusReport>();
        _client = new MqttClientFactory().CreateMqttClient();
        _client.ApplicationMessageReceivedAsync += args =>
        {
            _reports.Enqueue(JsonSerializer.Deserialize(args.ApplicationMessage.Payload.First.Span, OtaJson.Default.OtaStatusReport)!);
            return Task.CompletedTask;
        };
        await _client.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", _fleet.Port).WithProtocolVersion(MqttProtocolVersion.V500).WithClientId("ota-fleet").Build(), _cancel.Token);
        await _client.SubscribeAsync(Topics.OtaStatus(Gateway), MqttQualityOfServiceLevel.AtLeastOnce, _cancel.Token);
    }

    [TearDown]
    public async Task TearDown()
    {
        await _client.TryDisconnectAsync();
        _client.Dispose();
        await _fleet.DisposeAsync();
        _key.Dispose();
        _cancel.Dispose();
    }

    [Test]
    public async Task Each_device_reports_downloading_verified_staged_rebooting_and_confirmed_numbered_from_one_and_the_gateway_downloads_once_in_ranges()
    {
        using var server = new RangedArtifactServer(Path, Payload);
        var (run, running, stop) = await StartAsync(server, failureRate: 0);

        foreach (var device in new[] { "m001", "m002", "m003" })
            await OfferAsync(Offer($"{Gateway}-{device}"));
        var reports = await ReportsAsync(r => r.Phase == OtaPhase.Confirmed, 3);
        var figures = await StopAsync(run, running, stop);

        foreach (var device in reports.GroupBy(r => r.Target))
        {
            Assert.That(device.Select(r => (r.Sequence, r.Phase)), Is.EqualTo(new[]
            {
                (1L, OtaPhase.Downloading), (2L, OtaPhase.Verified), (3L, OtaPhase.Staged), (4L, OtaPhase.Rebooting), (5L, OtaPhase.Confirmed),
            }), device.Key);
            Assert.That(device.Last().RunningVersion, Is.EqualTo("1.1.0"));
            Assert.That(device.Single(r => r.Phase == OtaPhase.Verified).BytesReceived, Is.EqualTo(Payload.Length));
        }

        Assert.That(server.Ranges, Is.EqualTo(new[] { (0L, 262_143L), (262_144L, 524_287L), (524_288L, (long)Payload.Length - 1) }), "one download, in ranges");
        Assert.That(server.Authorizations, Is.All.EqualTo("Bearer ce_key"));
        Assert.That((figures.Offers, figures.Downloads, figures.DownloadedBytes, figures.FedBytes, figures.Confirmed), Is.EqualTo((3L, 1L, (long)Payload.Length, 3L * Payload.Length, 3L)));
        Assert.That(figures.Versions, Is.EquivalentTo(new Dictionary<string, int> { ["1.1.0"] = 3, ["1.0.0"] = 1 }));
    }

    [Test]
    public async Task Without_an_api_key_a_gateway_downloads_with_its_own_ledger_credential()
    {
        using var server = new RangedArtifactServer(Path, Payload);
        var (run, running, stop) = await StartAsync(server, failureRate: 0, apiKey: null);

        await OfferAsync(Offer($"{Gateway}-m001"));
        await ReportsAsync(r => r.IsFinal, 1);
        await StopAsync(run, running, stop);

        var basic = "Basic " + Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{Gateway}:secret-of-{Gateway}"));
        Assert.That(server.Authorizations, Is.Not.Empty.And.All.EqualTo(basic));
    }

    [Test]
    public async Task A_repeat_of_an_offer_is_answered_with_its_latest_report_under_the_same_number()
    {
        using var server = new RangedArtifactServer(Path, Payload);
        var (run, running, stop) = await StartAsync(server, failureRate: 0);
        var offer = Offer($"{Gateway}-m001");
        await OfferAsync(offer);
        await ReportsAsync(r => r.Phase == OtaPhase.Confirmed, 1);

        await OfferAsync(offer);
        var reports = await ReportsAsync(r => r.Phase == OtaPhase.Confirmed, 2);
        var figures = await StopAsync(run, running, stop);

        Assert.That(reports.Where(r => r.Phase == OtaPhase.Confirmed).Select(r => r.Sequence), Is.EqualTo(new[] { 5L, 5L }));
        Assert.That((figures.Offers, figures.Repeats, figures.Downloads), Is.EqualTo((1L, 1L, 1L)));
    }

    [Test]
    public async Task A_device_chosen_to_fail_rolls_back_and_reports_its_old_version_and_why()
    {
        using var server = new RangedArtifactServer(Path, Payload);
        var (run, running, stop) = await StartAsync(server, failureRate: 1);

        await OfferAsync(Offer($"{Gateway}-m002"));
        var reports = await ReportsAsync(r => r.IsFinal, 1);
        var figures = await StopAsync(run, running, stop);

        Assert.That(reports.Select(r => r.Phase), Is.EqualTo(new[] { OtaPhase.Downloading, OtaPhase.Verified, OtaPhase.Staged, OtaPhase.Rebooting, OtaPhase.RolledBack }));
        Assert.That(reports[^1].RunningVersion, Is.EqualTo("1.0.0"));
        Assert.That(reports[^1].Reason, Does.Contain("failed its boot health check"));
        Assert.That((figures.RolledBack, figures.Confirmed), Is.EqualTo((1L, 0L)));
        Assert.That(figures.Versions, Is.EquivalentTo(new Dictionary<string, int> { ["1.0.0"] = 4 }));
    }

    [Test]
    public async Task A_download_broken_off_resumes_from_the_byte_it_reached()
    {
        using var server = new RangedArtifactServer(Path, Payload) { BreakFirstAfter = 100_000 };
        var (run, running, stop) = await StartAsync(server, failureRate: 0);

        await OfferAsync(Offer($"{Gateway}-m001"));
        var reports = await ReportsAsync(r => r.IsFinal, 1);
        await StopAsync(run, running, stop);

        Assert.That(reports[^1].Phase, Is.EqualTo(OtaPhase.Confirmed), reports[^1].Reason);
        Assert.That(server.Ranges.Take(2), Is.EqualTo(new[] { (0L, 262_143L), (100_000L, 362_143L) }), "the next request asks from the byte reached");
    }

    [Test]
    public async Task Offers_it_cannot_take_are_refused_with_a_failed_report_saying_why()
    {
        using var server = new RangedArtifactServer(Path, Payload);
        var (run, running, stop) = await StartAsync(server, failureRate: 0);
        using var stranger = OtaSigningKey.Generate();

        await OfferAsync(Offer($"{Gateway}-m009"));
        await OfferAsync(Offer($"{Gateway}-m001", campaign: "c-expired") with { Deadline = DateTimeOffset.UtcNow.AddMinutes(-1) });
        await OfferAsync(Offer($"{Gateway}-m002", campaign: "c-stranger", signer: stranger));
        await OfferAsync(Offer(Gateway, campaign: "c-gateway") with { Kind = ArtifactKind.Gateway });
        await OfferAsync(Offer($"{Gateway}-m003", campaign: "c-model", model: "other-model"));
        var reports = await ReportsAsync(r => r.Phase == OtaPhase.Failed, 5);
        await StopAsync(run, running, stop);

        var reasons = reports.ToDictionary(r => (r.CampaignId, r.Target), r => r.Reason);
        Assert.That(reports.Select(r => r.Sequence), Is.All.EqualTo(1));
        Assert.That(reasons[("c-1", $"{Gateway}-m009")], Does.Contain($"expected a device behind {Gateway}, found no '{Gateway}-m009'"));
        Assert.That(reasons[("c-expired", $"{Gateway}-m001")], Does.StartWith("the offer expired at"));
        Assert.That(reasons[("c-stranger", $"{Gateway}-m002")], Does.StartWith("expected a signature by a trusted key"));
        Assert.That(reasons[("c-gateway", Gateway)], Does.Contain("not supported by the simulator"));
        Assert.That(reasons[("c-model", $"{Gateway}-m003")], Does.Contain("expected an artifact for hardware model 'eastron-sdm630', found one for 'other-model'"));
        Assert.That(server.Ranges, Is.Empty, "nothing refused is downloaded");
    }

    private async Task<(LoadRun Run, Task<LoadFigures> Running, CancellationTokenSource Stop)> StartAsync(RangedArtifactServer server, double failureRate, string? apiKey = "ce_key")
    {
        var options = new LoadOptions
        {
            Port = _fleet.Port, Gateways = 1, DevicesPerGateway = 4, Points = 1, Interval = TimeSpan.FromMilliseconds(200), Prefix = "gw-ota-",
            Passwords = new Dictionary<string, string> { [Gateway] = $"secret-of-{Gateway}" },
            Ota = new LoadOtaOptions
            {
                FleetApi = new Uri("http://fleet.test/"), FleetHandler = server, ApiKey = apiKey, TrustedKeys = [_key.PublicKey],
                FeedBytesPerSecond = 0, FailureRate = failureRate, Seed = 1, BootTime = TimeSpan.Zero,
            },
        };
        var run = new LoadRun(options, TextWriter.Null);
        var stop = CancellationTokenSource.CreateLinkedTokenSource(_cancel.Token);
        var running = run.RunAsync(stop.Token);
        await run.Connected.WaitAsync(_cancel.Token);
        return (run, running, stop);
    }

    private static async Task<OtaLoadFigures> StopAsync(LoadRun run, Task<LoadFigures> running, CancellationTokenSource stop)
    {
        await stop.CancelAsync();
        await running;
        stop.Dispose();
        return run.OtaFigures!;
    }

    private OtaOffer Offer(string target, string campaign = "c-1", OtaSigningKey? signer = null, string model = "eastron-sdm630")
    {
        var manifest = new OtaManifest("meter-firmware", ArtifactKind.Firmware, [model], "1.1.0", null, Payload.Length,
            Convert.ToHexStringLower(SHA256.HashData(Payload)), null, DateTimeOffset.UtcNow);
        var bytes = OtaPackageFormat.ManifestBytes(manifest);
        return new OtaOffer(campaign, target, 1, manifest.ArtifactId, ArtifactKind.Firmware, "1.1.0", Payload.Length, manifest.Sha256,
            Convert.ToBase64String(bytes), (signer ?? _key).Sign(bytes), Path, DateTimeOffset.UtcNow.AddMinutes(5));
    }

    private async Task OfferAsync(OtaOffer offer) =>
        await _client.PublishAsync(new MqttApplicationMessageBuilder()
            .WithTopic(Topics.Ota(Gateway))
            .WithPayload(JsonSerializer.SerializeToUtf8Bytes(offer, OtaJson.Default.OtaOffer))
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .Build(), _cancel.Token);

    /// <summary>The reports received once <paramref name="count"/> of them match <paramref name="until"/>, in order of arrival.</summary>
    private async Task<List<OtaStatusReport>> ReportsAsync(Func<OtaStatusReport, bool> until, int count)
    {
        while (_reports.Count(until) < count)
            await Task.Delay(20, _cancel.Token);
        return [.. _reports];
    }
}
