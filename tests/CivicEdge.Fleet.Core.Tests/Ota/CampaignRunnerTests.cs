using CivicEdge.Fleet.Contracts.Ledger;
using CivicEdge.Fleet.Contracts.Ota;
using CivicEdge.Fleet.Core.Ota;
using CivicEdge.Fleet.Core.Tests.Ledger;
using Microsoft.Extensions.Time.Testing;

namespace CivicEdge.Fleet.Core.Tests.Ota;

/// <summary>The campaign runner over in-memory stores: from the ledger query to offers on the wire and back through reports.</summary>
[Category("Unit")]
public sealed class CampaignRunnerTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 29, 2, 0, 0, TimeSpan.Zero);

    private static readonly OtaManifest Manifest = new(
        "pole-controller", ArtifactKind.Firmware, ["slc-200"], "2.4.0", null, 1024, new string('c', 64), null, T0.AddDays(-1));

    private static readonly CampaignScope AllPoles = new(DeviceKind.PoleController, null, null, null, null, null);

    // NUnit keeps one fixture instance for all its tests: everything a test changes is made afresh in SetUp.
    private FakeTimeProvider _clock = null!;
    private InMemoryCampaignStore _campaigns = null!;
    private InMemoryArtifactStore _artifacts = null!;
    private InMemoryDeviceLedgerStore _ledger = null!;
    private FixedHealthSamples _health = null!;
    private RecordingOfferPublisher _publisher = null!;
    private InMemoryOtaStatusStore _statuses = null!;
    private OtaStatusInbox _inbox = null!;
    private CampaignRunner _runner = null!;
    private Dictionary<string, string> _addressees = null!;

    private static CampaignSettings Settings => CampaignSettings.Default with
    {
        Waves = [WaveSize.Devices(2), WaveSize.Share(100)],
        SoakTime = TimeSpan.Zero,
        FailureThreshold = 0.1,
        ConfirmTimeout = TimeSpan.FromMinutes(10),
        HealthWindow = TimeSpan.FromSeconds(30),
        MaxConcurrentDownloads = 1000,
        MaxConcurrentPerGateway = 1000,
    };

    [SetUp]
    public async Task MakeFleet()
    {
        _clock = new FakeTimeProvider(T0);
        _campaigns = new InMemoryCampaignStore();
        _artifacts = new InMemoryArtifactStore();
        _ledger = new InMemoryDeviceLedgerStore();
        _health = new FixedHealthSamples();
        _publisher = new RecordingOfferPublisher();
        _statuses = new InMemoryOtaStatusStore();
        _inbox = new OtaStatusInbox(_statuses, _clock);
        _addressees = new Dictionary<string, string>(StringComparer.Ordinal);
        _runner = new CampaignRunner(_campaigns, _artifacts, _ledger, _health, _publisher, _statuses, _clock) { ResendInterval = TimeSpan.FromMinutes(1) };
        await _artifacts.AddArtifactAsync(
            new StoredArtifact(Manifest.ArtifactId, "{\"signed\":true}"u8.ToArray(), Manifest, new OtaSignature("k1", OtaSignature.Es256, "c2ln"), "release", T0),
            new MemoryStream(new byte[1024]), CancellationToken.None);
    }

    [Test]
    public async Task A_campaign_reaches_only_devices_in_service_in_its_tenant_that_the_artifact_fits_and_do_not_run_it_yet_each_through_its_gateway()
    {
        await Pole("slc-1", "gw-1");
        await Pole("slc-2", "gw-2");
        await Pole("slc-other-model", "gw-1", model: "slc-900");
        await Pole("slc-updated", "gw-1", firmware: "2.4.0");
        await Pole("slc-repair", "gw-1", state: LifecycleState.Maintenance);
        await Pole("slc-other-city", "gw-9", tenant: "city-b");
        await Pole("slc-no-gateway", null);

        var created = await _runner.CreateAsync("c-1", Manifest.ArtifactId, Settings, AllPoles, "city-a", "ops", CancellationToken.None);

        Assert.That(created.Campaign.Devices.Select(d => (d.Target.Device, d.Target.Addressee, d.Target.RunningVersion)).OrderBy(t => t.Device),
            Is.EqualTo(new[] { ("slc-1", "gw-1", "2.3.1"), ("slc-2", "gw-2", "2.3.1"), ("slc-no-gateway", "slc-no-gateway", "2.3.1") }));
    }

    [Test]
    public async Task Creating_a_campaign_for_an_artifact_never_uploaded_is_refused_naming_it()
    {
        var error = await Assert.ThrowsAsync<KeyNotFoundException>(async () =>
            await _runner.CreateAsync("c-1", "pole-controller@9.9.9", Settings, AllPoles, null, "ops", CancellationToken.None));

        Assert.That(error!.Message, Is.EqualTo("artifactId: expected an uploaded artifact, found no 'pole-controller@9.9.9'"));
    }

    [Test]
    public async Task A_step_offers_the_canary_to_its_gateways_with_the_signed_manifest_the_download_path_and_the_deadline()
    {
        await Poles(6, 2);
        await _runner.CreateAsync("c-1", Manifest.ArtifactId, Settings, AllPoles, null, "ops", CancellationToken.None);

        var step = await _runner.StepAsync(CancellationToken.None);

        Assert.That(step.OffersSent, Is.EqualTo(2));
        Assert.That(_publisher.Published.Select(p => (p.Addressee, p.Offer.Target)), Is.EqualTo(new[] { ("gw-0", "slc-0"), ("gw-1", "slc-1") }));
        var offer = _publisher.Published[0].Offer;
        Assert.That((offer.CampaignId, offer.Attempt, offer.ArtifactId, offer.Version, offer.Size, offer.Sha256), Is.EqualTo(("c-1", 1, "pole-controller@2.4.0", "2.4.0", 1024L, Manifest.Sha256)));
        Assert.That(Convert.FromBase64String(offer.Manifest), Is.EqualTo("{\"signed\":true}"u8.ToArray()));
        Assert.That(offer.DownloadPath, Is.EqualTo("api/ota/artifacts/pole-controller@2.4.0/payload"));
        Assert.That(offer.Deadline, Is.EqualTo(T0.AddMinutes(10)));
        Assert.That((await _campaigns.FindCampaignAsync("c-1", CancellationToken.None))!.Campaign.Devices.Count(d => d.State == CampaignDeviceState.Offered), Is.EqualTo(2));
    }

    [Test]
    public async Task An_unanswered_offer_is_sent_again_after_the_resend_interval_and_not_before_and_an_answered_one_never()
    {
        await Poles(2, 2);
        await _runner.CreateAsync("c-1", Manifest.ArtifactId, Settings, AllPoles, null, "ops", CancellationToken.None);
        await _runner.StepAsync(CancellationToken.None);
        await Post(Report("slc-0", 1, OtaPhase.Downloading, bytes: 100));

        _clock.Advance(TimeSpan.FromSeconds(59));
        var early = await _runner.StepAsync(CancellationToken.None);
        _clock.Advance(TimeSpan.FromSeconds(1));
        var due = await _runner.StepAsync(CancellationToken.None);

        Assert.That((early.OffersSent, due.OffersSent), Is.EqualTo((0, 1)));
        Assert.That(_publisher.Published.Select(p => p.Offer.Target), Is.EqualTo(new[] { "slc-0", "slc-1", "slc-1" }));
    }

    [Test]
    public async Task An_offer_the_broker_refused_is_sent_on_the_next_step()
    {
        await Poles(1, 1);
        await _runner.CreateAsync("c-1", Manifest.ArtifactId, Settings with { Waves = [WaveSize.Share(100)] }, AllPoles, null, "ops", CancellationToken.None);
        _publisher.Offline = true;
        var refused = await _runner.StepAsync(CancellationToken.None);
        _publisher.Offline = false;

        var next = await _runner.StepAsync(CancellationToken.None);

        Assert.That((refused.OffersSent, next.OffersSent), Is.EqualTo((0, 1)));
    }

    [Test]
    public async Task A_canary_that_succeeds_opens_the_next_wave_and_failures_past_the_threshold_halt_the_campaign_by_itself_saying_why()
    {
        await Poles(20, 4);
        await _runner.CreateAsync("c-1", Manifest.ArtifactId, Settings, AllPoles, null, "ops", CancellationToken.None);
        await _runner.StepAsync(CancellationToken.None);
        await Confirm("slc-0", "slc-1");
        await _runner.StepAsync(CancellationToken.None);
        _clock.Advance(TimeSpan.FromSeconds(30));
        await _runner.StepAsync(CancellationToken.None);
        var secondWave = _publisher.Published.Skip(2).Select(p => p.Offer.Target).ToList();

        await Confirm([.. secondWave.Skip(2)]);
        await Post(Report(secondWave[0], 1, OtaPhase.RolledBack, running: "2.3.1", reason: "watchdog reset in the trial boot"));
        await Post(Report(secondWave[1], 1, OtaPhase.RolledBack, running: "2.3.1", reason: "no lamp current"));
        var halting = await _runner.StepAsync(CancellationToken.None);
        _clock.Advance(TimeSpan.FromMinutes(5));
        var afterHalt = await _runner.StepAsync(CancellationToken.None);

        var stored = (await _campaigns.FindCampaignAsync("c-1", CancellationToken.None))!.Campaign;
        Assert.That(secondWave, Has.Count.EqualTo(18));
        Assert.That(halting.ReportsApplied, Is.EqualTo(18));
        Assert.That(stored.State, Is.EqualTo(CampaignState.Halted));
        Assert.That(stored.Reason, Does.StartWith("wave 2 of 2 (100%): 2 of 18 devices failed (11.1 %), above the threshold of 10 %; "));
        Assert.That(stored.Devices.Single(d => d.Target.Device == secondWave[0]).Reason, Is.EqualTo("rolled back to 2.3.1: watchdog reset in the trial boot"));
        Assert.That(afterHalt.OffersSent, Is.Zero, "a halted campaign offers nothing, not even again");
        Assert.That((await _ledger.FindDeviceAsync(secondWave[0], CancellationToken.None))!.Firmware, Is.EqualTo("2.3.1"), "back on its previous version, as the fleet sees it");
        Assert.That((await _ledger.FindDeviceAsync(secondWave[2], CancellationToken.None))!.Firmware, Is.EqualTo("2.4.0"), "the version it confirmed is written into the ledger");
    }

    [Test]
    public async Task A_persons_pause_written_during_a_step_stands_and_the_steps_reports_are_applied_on_the_next_step()
    {
        await Poles(2, 1);
        await _runner.CreateAsync("c-1", Manifest.ArtifactId, Settings, AllPoles, null, "ops", CancellationToken.None);
        await _runner.StepAsync(CancellationToken.None);
        await Post(Report("slc-0", 1, OtaPhase.Downloading, bytes: 512));
        _campaigns.BeforeNextReplace = () => _runner.ChangeAsync("c-1", c => c.Pause("street festival"), CancellationToken.None);

        var conflicted = await _runner.StepAsync(CancellationToken.None);
        var keptForNext = _statuses.Count;
        var next = await _runner.StepAsync(CancellationToken.None);

        var stored = (await _campaigns.FindCampaignAsync("c-1", CancellationToken.None))!.Campaign;
        Assert.That((conflicted.Conflicts, keptForNext, next.ReportsApplied, _statuses.Count), Is.EqualTo((1, 1, 1, 0)));
        Assert.That((stored.State, stored.Reason), Is.EqualTo((CampaignState.Paused, "street festival")));
        Assert.That(stored.Devices.Single(d => d.Target.Device == "slc-0").BytesReceived, Is.EqualTo(512));
    }

    [Test]
    public async Task A_device_put_in_service_after_the_campaign_began_joins_its_last_wave()
    {
        await Poles(4, 2);
        await _runner.CreateAsync("c-1", Manifest.ArtifactId, Settings, AllPoles, null, "ops", CancellationToken.None);
        await Pole("slc-new", "gw-0");

        var step = await _runner.StepAsync(CancellationToken.None);

        var stored = (await _campaigns.FindCampaignAsync("c-1", CancellationToken.None))!.Campaign;
        Assert.That(step.Joined, Is.EqualTo(1));
        Assert.That(stored.Devices.Single(d => d.Target.Device == "slc-new").Wave, Is.EqualTo(1));
    }

    [Test]
    public async Task Reports_for_a_campaign_never_created_or_ended_are_dropped_with_a_count_and_not_kept()
    {
        await Poles(2, 2);
        await _runner.CreateAsync("c-1", Manifest.ArtifactId, Settings, AllPoles, null, "ops", CancellationToken.None);
        await _runner.StepAsync(CancellationToken.None);
        await _runner.ChangeAsync("c-1", c => c.Cancel("wrong artifact"), CancellationToken.None);
        await Posted("gw-0", new OtaStatusReport("c-unknown", "slc-0", 1, 1, OtaPhase.Downloading, 10, null, null, T0));
        await Post(Report("slc-0", 1, OtaPhase.Downloading, bytes: 10));

        var step = await _runner.StepAsync(CancellationToken.None);

        Assert.That((step.ReportsDropped, step.ReportsApplied, step.ReportsIgnored), Is.EqualTo((2, 0, 0)));
        Assert.That(_statuses.Count, Is.Zero);
    }

    [Test]
    public async Task Reports_wait_in_the_store_and_a_runner_started_afresh_applies_them()
    {
        await Poles(2, 2);
        await _runner.CreateAsync("c-1", Manifest.ArtifactId, Settings, AllPoles, null, "ops", CancellationToken.None);
        await _runner.StepAsync(CancellationToken.None);
        await Post(Report("slc-0", 1, OtaPhase.Downloading, bytes: 300));
        await Post(Report("slc-1", 1, OtaPhase.Confirmed, running: "2.4.0"));
        var restarted = new CampaignRunner(_campaigns, _artifacts, _ledger, _health, _publisher, _statuses, _clock);

        var step = await restarted.StepAsync(CancellationToken.None);

        var devices = (await _campaigns.FindCampaignAsync("c-1", CancellationToken.None))!.Campaign.Devices.ToDictionary(d => d.Target.Device);
        Assert.That(step.ReportsApplied, Is.EqualTo(2));
        Assert.That((devices["slc-0"].BytesReceived, devices["slc-1"].State), Is.EqualTo(((long?)300, CampaignDeviceState.Confirmed)));
        Assert.That(_statuses.Count, Is.Zero, "applied reports are deleted once the campaign holding them is written");
    }

    [Test]
    public async Task Reports_appended_out_of_order_by_two_nodes_are_applied_in_each_devices_sequence()
    {
        await Poles(1, 1);
        await _runner.CreateAsync("c-1", Manifest.ArtifactId, Settings, AllPoles, null, "ops", CancellationToken.None);
        await _runner.StepAsync(CancellationToken.None);
        await Post(Report("slc-0", 2, OtaPhase.Staged));
        await Post(Report("slc-0", 1, OtaPhase.Downloading, bytes: 1024));

        var step = await _runner.StepAsync(CancellationToken.None);

        var device = (await _campaigns.FindCampaignAsync("c-1", CancellationToken.None))!.Campaign.Devices.Single();
        Assert.That(step.ReportsApplied, Is.EqualTo(2));
        Assert.That((device.State, device.BytesReceived, device.LastSequence), Is.EqualTo((CampaignDeviceState.Installing, (long?)1024, 2L)));
    }

    [Test]
    public async Task The_inbox_refuses_and_counts_a_report_past_its_capacity_and_keeps_those_it_holds()
    {
        var inbox = new OtaStatusInbox(_statuses, _clock, capacity: 2);

        var taken = new[]
        {
            await inbox.PostAsync("gw-0", Report("slc-0", 1, OtaPhase.Downloading), CancellationToken.None),
            await inbox.PostAsync("gw-0", Report("slc-0", 2, OtaPhase.Downloading), CancellationToken.None),
            await inbox.PostAsync("gw-0", Report("slc-0", 3, OtaPhase.Downloading), CancellationToken.None),
        };

        Assert.That(taken, Is.EqualTo(new[] { true, true, false }));
        Assert.That((inbox.Refused, _statuses.Count), Is.EqualTo((1L, 2)));
    }

    [Test]
    public async Task A_report_about_a_device_from_a_gateway_it_is_not_behind_is_ignored()
    {
        await Poles(2, 2);
        await _runner.CreateAsync("c-1", Manifest.ArtifactId, Settings, AllPoles, null, "ops", CancellationToken.None);
        await _runner.StepAsync(CancellationToken.None);
        await Posted("gw-1", Report("slc-0", 1, OtaPhase.RolledBack, running: "2.3.1", reason: "forged"));

        var step = await _runner.StepAsync(CancellationToken.None);

        Assert.That((step.ReportsApplied, step.ReportsIgnored), Is.EqualTo((0, 1)));
        Assert.That((await _campaigns.FindCampaignAsync("c-1", CancellationToken.None))!.Campaign.Devices.Single(d => d.Target.Device == "slc-0").State, Is.EqualTo(CampaignDeviceState.Offered));
    }

    [Test]
    public async Task A_daylight_campaign_offers_in_the_morning_in_Shenzhen_the_pole_the_ledger_places_there_and_holds_the_one_it_cannot_place()
    {
        // T0 is 10:00 in Shenzhen (UTC+8) on 29 November: sunrise 06:40, so daylight at its poles.
        await _ledger.TryAddDeviceAsync(
            new LedgerDevice("slc-futian", DeviceKind.PoleController, "slc-200", "city-a", new DeviceLocation(22.54, 114.06, "Shennan Blvd", "P-17", "Futian"), "gw-0", LifecycleState.InService, "2.3.1", [], [], null, null, null, T0, T0, 1, []),
            CancellationToken.None);
        await Pole("slc-unplaced", "gw-0");
        await _runner.CreateAsync("c-1", Manifest.ArtifactId, Settings with { Waves = [WaveSize.Share(100)], Daylight = new DaylightWindow(TimeSpan.FromMinutes(30)) }, AllPoles, null, "ops", CancellationToken.None);

        await _runner.StepAsync(CancellationToken.None);

        var devices = (await _campaigns.FindCampaignAsync("c-1", CancellationToken.None))!.Campaign.Devices.ToDictionary(d => d.Target.Device);
        Assert.That(_publisher.Published.Select(p => p.Offer.Target), Is.EqualTo(new[] { "slc-futian" }));
        Assert.That(devices["slc-futian"].Target.Location, Is.EqualTo(new GeoPoint(22.54, 114.06)));
        Assert.That((devices["slc-unplaced"].State, devices["slc-unplaced"].Reason), Is.EqualTo((CampaignDeviceState.Pending, "held: the daylight window needs the device's place; the ledger has no latitude and longitude for it and the campaign gives no location")));
    }

    /// <summary>Posts a report as the device's own gateway sends it.</summary>
    private Task Post(OtaStatusReport report) => Posted(_addressees[report.Target], report);

    private async Task Posted(string source, OtaStatusReport report) =>
        Assert.That(await _inbox.PostAsync(source, report, CancellationToken.None), Is.True);

    private async Task Confirm(params string[] devices)
    {
        foreach (var device in devices)
        {
            await Post(Report(device, 1, OtaPhase.Confirmed, running: "2.4.0"));
            _health.Samples[device] = new DeviceHealthSample("2.4.0", Healthy: true);
        }
    }

    private OtaStatusReport Report(string device, long sequence, OtaPhase phase, string? running = null, string? reason = null, long? bytes = null) =>
        new("c-1", device, 1, sequence, phase, bytes, running, reason, _clock.GetUtcNow());

    private async Task Poles(int count, int gateways)
    {
        for (var i = 0; i < count; i++)
            await Pole($"slc-{i}", $"gw-{i % gateways}");
    }

    private Task<bool> Pole(string code, string? gateway, string model = "slc-200", string firmware = "2.3.1", string tenant = "city-a", LifecycleState state = LifecycleState.InService)
    {
        _addressees[code] = gateway ?? code;
        return _ledger.TryAddDeviceAsync(
            new LedgerDevice(code, DeviceKind.PoleController, model, tenant, null, gateway, state, firmware, [], [], null, null, null, T0, T0, 1, []),
            CancellationToken.None);
    }
}
