using CivicEdge.Fleet.Contracts.Ota;
using CivicEdge.Fleet.Core.Ota;
using Microsoft.Extensions.Time.Testing;

namespace CivicEdge.Fleet.Core.Tests.Ota;

/// <summary>The campaign planner, driven step by step on a fake clock.</summary>
[Category("Unit")]
public sealed class CampaignTests
{
    private static readonly OtaManifest Manifest = new("pole-controller", ArtifactKind.Firmware, ["slc-200"], "2.4.0", "2.0.0", 1024, new string('a', 64), null, DateTimeOffset.UnixEpoch);

    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 29, 2, 0, 0, TimeSpan.Zero));
    private readonly Dictionary<string, DeviceHealthSample> _health = new(StringComparer.Ordinal);

    private static CampaignSettings Settings => CampaignSettings.Default with
    {
        SoakTime = TimeSpan.FromMinutes(30),
        FailureThreshold = 0.05,
        ConfirmTimeout = TimeSpan.FromMinutes(20),
        HealthWindow = TimeSpan.FromMinutes(5),
        MaxConcurrentDownloads = 1000,
        MaxConcurrentPerGateway = 1000,
    };

    [Test]
    public void Two_hundred_devices_behind_ten_gateways_fall_into_waves_of_2_18_80_and_100_and_the_canary_spans_two_gateways()
    {
        var campaign = Plan(Settings, Targets(200, 10));

        Assert.That(campaign.Progress().Select(w => w.Size), Is.EqualTo(new[] { 2, 18, 80, 100 }));
        Assert.That(campaign.Devices.Where(d => d.Wave == 0).Select(d => d.Target.Addressee), Is.EqualTo(new[] { "gw-00", "gw-01" }));
    }

    [Test]
    public void Only_the_canary_is_offered_first_and_within_the_caps_per_campaign_and_per_gateway()
    {
        var campaign = Plan(Settings with { Waves = [WaveSize.Devices(6), WaveSize.Share(100)], MaxConcurrentDownloads = 4, MaxConcurrentPerGateway = 1 }, Targets(20, 3));

        var offers = Advance(campaign);

        Assert.That(offers.Select(o => o.Addressee), Is.EqualTo(new[] { "gw-00", "gw-01", "gw-02" }), "one per gateway, though the campaign could take four");
        Assert.That(offers.All(o => o.Attempt == 1), Is.True);
        Assert.That(Advance(campaign), Is.Empty, "every gateway is at its cap until a download ends");
    }

    [Test]
    public void A_device_succeeds_only_after_it_confirmed_and_stayed_healthy_on_the_new_version_through_the_health_window()
    {
        var campaign = Plan(Settings with { Waves = [WaveSize.Share(100)] }, Targets(1, 1));
        var device = Advance(campaign).Single().Device;

        Report(campaign, device, 1, OtaPhase.Confirmed, "2.4.0");
        _health[device] = new DeviceHealthSample("2.4.0", Healthy: true);
        Advance(campaign);
        var before = campaign.Devices.Single().State;
        _clock.Advance(TimeSpan.FromMinutes(5));
        Advance(campaign);

        Assert.That(before, Is.EqualTo(CampaignDeviceState.Confirmed));
        Assert.That(campaign.Devices.Single().State, Is.EqualTo(CampaignDeviceState.Succeeded));
        Assert.That(campaign.State, Is.EqualTo(CampaignState.Completed));
    }

    [Test]
    public void A_device_that_confirms_but_comes_back_on_its_old_version_fails()
    {
        var campaign = Plan(Settings with { Waves = [WaveSize.Share(100)], FailureThreshold = 0.5 }, Targets(1, 1));
        var device = Advance(campaign).Single().Device;

        Report(campaign, device, 1, OtaPhase.Confirmed, "2.4.0");
        _health[device] = new DeviceHealthSample("2.3.1", Healthy: true);
        Advance(campaign);

        Assert.That(campaign.Devices.Single().State, Is.EqualTo(CampaignDeviceState.Failed));
        Assert.That(campaign.Devices.Single().Reason, Is.EqualTo("came back on 2.3.1 instead of 2.4.0"));
    }

    [Test]
    public void A_device_that_stays_unhealthy_through_its_health_window_fails()
    {
        var campaign = Plan(Settings with { Waves = [WaveSize.Share(100)], FailureThreshold = 0.5 }, Targets(1, 1));
        var device = Advance(campaign).Single().Device;
        Report(campaign, device, 1, OtaPhase.Confirmed, "2.4.0");
        _health[device] = new DeviceHealthSample("2.4.0", Healthy: false);

        _clock.Advance(TimeSpan.FromMinutes(5));
        Advance(campaign);

        Assert.That(campaign.Devices.Single().Reason, Does.StartWith("not healthy by the end of its 5 min health window"));
    }

    [Test]
    public void A_device_that_does_not_confirm_in_time_fails_as_a_timeout()
    {
        var campaign = Plan(Settings with { Waves = [WaveSize.Share(100)], FailureThreshold = 0.5 }, Targets(1, 1));
        var device = Advance(campaign).Single().Device;
        Report(campaign, device, 1, OtaPhase.Rebooting, null);

        _clock.Advance(TimeSpan.FromMinutes(19));
        Advance(campaign);
        var stillInstalling = campaign.Devices.Single().State;
        _clock.Advance(TimeSpan.FromMinutes(1));
        Advance(campaign);

        Assert.That(stillInstalling, Is.EqualTo(CampaignDeviceState.Installing));
        Assert.That(campaign.Devices.Single().Reason, Is.EqualTo("did not confirm 2.4.0 within 20 min of the offer (last: installing)"));
    }

    [Test]
    public void The_next_wave_starts_only_after_the_canary_passed_and_soaked()
    {
        var campaign = Plan(Settings, Targets(200, 10));
        SucceedAll(campaign, Advance(campaign));
        _clock.Advance(TimeSpan.FromMinutes(5));

        var duringSoak = Advance(campaign);
        _clock.Advance(TimeSpan.FromMinutes(29));
        var stillSoaking = Advance(campaign);
        _clock.Advance(TimeSpan.FromMinutes(1));
        var nextWave = Advance(campaign);

        Assert.That((duringSoak.Count, stillSoaking.Count), Is.EqualTo((0, 0)));
        Assert.That(nextWave, Has.Count.EqualTo(18));
        Assert.That(campaign.CurrentWave, Is.EqualTo(1));
    }

    [Test]
    public void A_wave_whose_failures_pass_the_threshold_halts_the_campaign_at_once_saying_which_wave_and_why()
    {
        var campaign = Plan(Settings with { Waves = [WaveSize.Devices(1), WaveSize.Share(100)], SoakTime = TimeSpan.Zero }, Targets(41, 4));
        SucceedAll(campaign, Advance(campaign));
        _clock.Advance(TimeSpan.FromMinutes(5));
        var wave = Advance(campaign);
        Assert.That(wave, Has.Count.EqualTo(40));

        Report(campaign, wave[0].Device, 1, OtaPhase.RolledBack, "2.3.1", "lamp driver did not answer");
        Report(campaign, wave[1].Device, 1, OtaPhase.Failed, null, "flash write failed");
        var afterTwo = Advance(campaign);
        var stateAfterTwo = campaign.State;
        Report(campaign, wave[2].Device, 1, OtaPhase.Failed, null, "flash write failed");
        Advance(campaign);

        Assert.That((stateAfterTwo, afterTwo.Count), Is.EqualTo((CampaignState.Running, 0)), "2 of 40 is 5 %: not above the threshold");
        Assert.That(campaign.State, Is.EqualTo(CampaignState.Halted));
        Assert.That(campaign.Reason, Does.StartWith("wave 2 of 2 (100%): 3 of 40 devices failed (7.5 %), above the threshold of 5 %;"));
        Assert.That(campaign.Reason, Does.Contain($"{wave[0].Device}: rolled back to 2.3.1: lamp driver did not answer"));
        Assert.That(Advance(campaign), Is.Empty);
    }

    [Test]
    public void A_status_report_resent_after_a_power_loss_or_from_an_old_attempt_changes_nothing()
    {
        var campaign = Plan(Settings with { Waves = [WaveSize.Share(100)] }, Targets(1, 1));
        var device = Advance(campaign).Single().Device;

        var first = Report(campaign, device, 2, OtaPhase.Staged, null);
        var repeated = Report(campaign, device, 2, OtaPhase.Staged, null);
        var older = Report(campaign, device, 1, OtaPhase.Failed, null, "late straggler");
        var otherAttempt = campaign.Apply(new OtaStatusReport(campaign.Id, device, 2, 9, OtaPhase.Failed, null, null, "old offer", _clock.GetUtcNow()), _clock.GetUtcNow());

        Assert.That((first, repeated, older, otherAttempt), Is.EqualTo((true, false, false, false)));
        Assert.That(campaign.Devices.Single().State, Is.EqualTo(CampaignDeviceState.Installing));
    }

    [Test]
    public void Offers_start_only_inside_a_maintenance_window_that_crosses_midnight_in_local_time()
    {
        // 02:00 UTC is 10:00 in UTC+8: outside 22:00–04:00 local.
        var settings = Settings with { Waves = [WaveSize.Share(100)], Windows = [new MaintenanceWindow(new TimeOnly(22, 0), new TimeOnly(4, 0))], UtcOffset = TimeSpan.FromHours(8) };
        var campaign = Plan(settings, Targets(3, 1));

        var atTen = Advance(campaign);
        _clock.Advance(TimeSpan.FromHours(12.5));
        var atHalfPastTenAtNight = Advance(campaign);

        Assert.That(atTen, Is.Empty);
        Assert.That(atHalfPastTenAtNight, Has.Count.EqualTo(3));
    }

    [Test]
    public void A_paused_campaign_offers_nothing_until_resumed_and_a_cancelled_one_never_again()
    {
        var campaign = Plan(Settings with { Waves = [WaveSize.Share(100)], MaxConcurrentDownloads = 1 }, Targets(3, 1));
        Advance(campaign);
        campaign.Pause("storm warning");

        var paused = Advance(campaign);
        campaign.Resume();
        Report(campaign, campaign.Devices[0].Device, 1, OtaPhase.Verified, null);
        var resumed = Advance(campaign);
        campaign.Cancel("wrong image");

        Assert.That((paused.Count, resumed.Count), Is.EqualTo((0, 1)));
        Assert.That(Advance(campaign), Is.Empty);
        Assert.That(() => campaign.Resume(), Throws.InvalidOperationException.With.Message.Contains("cancelled"));
    }

    [Test]
    public void Retrying_the_failed_devices_of_a_halted_campaign_offers_them_again_as_a_new_attempt()
    {
        var campaign = Plan(Settings with { Waves = [WaveSize.Share(100)] }, Targets(2, 1));
        var offers = Advance(campaign);
        Report(campaign, offers[0].Device, 1, OtaPhase.Failed, null, "download broke off");
        Advance(campaign);
        Assert.That(campaign.State, Is.EqualTo(CampaignState.Halted));

        var retried = campaign.RetryFailed();
        var again = Advance(campaign);

        Assert.That((retried, campaign.State), Is.EqualTo((1, CampaignState.Running)));
        Assert.That(again.Single(), Is.EqualTo(new CampaignOffer(offers[0].Device, "gw-00", 2)));
    }

    [Test]
    public void Devices_that_match_later_join_the_last_wave()
    {
        var campaign = Plan(Settings, Targets(100, 2));

        var joined = campaign.Join([new CampaignTarget("slc-new", "gw-09", "2.3.1"), campaign.Devices[0].Target]);

        Assert.That(joined, Is.EqualTo(1));
        Assert.That(campaign.Devices.Single(d => d.Device == "slc-new").Wave, Is.EqualTo(3));
    }

    [Test]
    public void Settings_whose_last_wave_does_not_reach_every_device_are_refused_naming_the_field()
    {
        var problems = (Settings with { Waves = [WaveSize.Share(1), WaveSize.Share(50)], FailureThreshold = 1.5 }).Problems();

        Assert.That(problems, Has.Count.EqualTo(2));
        Assert.That(problems[0], Does.StartWith("waves: expected the last wave to reach every target (100%), found 50%"));
        Assert.That(problems[1], Does.StartWith("failureThreshold:"));
    }

    private Campaign Plan(CampaignSettings settings, IEnumerable<CampaignTarget> targets) => Campaign.Plan("c-01", Manifest, settings, targets, _clock.GetUtcNow());

    private IReadOnlyList<CampaignOffer> Advance(Campaign campaign) => campaign.Advance(_clock.GetUtcNow(), code => _health.GetValueOrDefault(code));

    private bool Report(Campaign campaign, string device, long sequence, OtaPhase phase, string? running, string? reason = null)
    {
        var attempt = campaign.Devices.Single(d => d.Device == device).Attempt;
        return campaign.Apply(new OtaStatusReport(campaign.Id, device, attempt, sequence, phase, null, running, reason, _clock.GetUtcNow()), _clock.GetUtcNow());
    }

    private void SucceedAll(Campaign campaign, IEnumerable<CampaignOffer> offers)
    {
        foreach (var offer in offers)
        {
            Report(campaign, offer.Device, 1, OtaPhase.Confirmed, "2.4.0");
            _health[offer.Device] = new DeviceHealthSample("2.4.0", Healthy: true);
        }
    }

    private static IEnumerable<CampaignTarget> Targets(int count, int gateways) =>
        Enumerable.Range(0, count).Select(i => new CampaignTarget($"slc-{i:D4}", $"gw-{i % gateways:D2}", "2.3.1"));
}
