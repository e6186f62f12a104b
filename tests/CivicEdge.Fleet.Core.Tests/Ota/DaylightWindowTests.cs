using CivicEdge.Fleet.Contracts.Ota;
using CivicEdge.Fleet.Core.Ota;

namespace CivicEdge.Fleet.Core.Tests.Ota;

/// <summary>
/// Daylight windows at a real city: Shenzhen, 22.54° N 114.06° E, UTC+8 (no daylight saving). Sunrise and sunset as
/// published by timeanddate.com for Shenzhen (whole minutes, local time): 2026-06-21 05:38 and 19:11, 2026-12-21 06:58
/// and 17:44.
/// </summary>
[Category("Unit")]
public sealed class DaylightWindowTests
{
    private static readonly GeoPoint Shenzhen = new(22.54, 114.06);
    private static readonly GeoPoint Tromso = new(69.65, 18.96);
    private static readonly TimeSpan ChinaStandardTime = TimeSpan.FromHours(8);

    /// <summary>The published tables give whole minutes and the calculation holds to about one: three is a safe margin either side.</summary>
    private static readonly TimeSpan Margin = TimeSpan.FromMinutes(3);

    private static readonly OtaManifest Manifest = new("pole-controller", ArtifactKind.Firmware, ["slc-200"], "2.4.0", "2.0.0", 1024, new string('a', 64), null, DateTimeOffset.UnixEpoch);

    [TestCase("2026-06-21", "05:38", "19:11")]
    [TestCase("2026-12-21", "06:58", "17:44")]
    public void In_Shenzhen_the_window_opens_30_min_after_the_published_sunrise_and_closes_30_min_before_the_published_sunset(string date, string sunrise, string sunset)
    {
        var window = new DaylightWindow(TimeSpan.FromMinutes(30));
        var opens = Local(date, sunrise) + TimeSpan.FromMinutes(30);
        var closes = Local(date, sunset) - TimeSpan.FromMinutes(30);

        Assert.That(window.Check(Shenzhen, opens - Margin), Is.EqualTo(new DaylightCheck(false, null)), "just before sunrise + 30 min");
        Assert.That(window.Check(Shenzhen, opens + Margin), Is.EqualTo(new DaylightCheck(true, null)), "just after sunrise + 30 min");
        Assert.That(window.Check(Shenzhen, Local(date, "12:00")), Is.EqualTo(new DaylightCheck(true, null)), "at noon");
        Assert.That(window.Check(Shenzhen, closes - Margin), Is.EqualTo(new DaylightCheck(true, null)), "just before sunset - 30 min");
        Assert.That(window.Check(Shenzhen, closes + Margin), Is.EqualTo(new DaylightCheck(false, null)), "just after sunset - 30 min");
        Assert.That(window.Check(Shenzhen, Local(date, "23:30")), Is.EqualTo(new DaylightCheck(false, null)), "at night");
    }

    [Test]
    public void A_larger_offset_narrows_the_window_at_both_ends()
    {
        var wide = new DaylightWindow(TimeSpan.Zero);
        var narrow = new DaylightWindow(TimeSpan.FromHours(2));
        var morning = Local("2026-12-21", "08:00");

        Assert.That((wide.Check(Shenzhen, morning).IsOpen, narrow.Check(Shenzhen, morning).IsOpen), Is.EqualTo((true, false)));
        Assert.That(narrow.Check(Shenzhen, Local("2026-12-21", "09:30")).IsOpen, Is.True);
        Assert.That(narrow.Check(Shenzhen, Local("2026-12-21", "15:30")).IsOpen, Is.True);
        Assert.That(narrow.Check(Shenzhen, Local("2026-12-21", "16:00")).IsOpen, Is.False);
    }

    [Test]
    public void In_polar_day_and_polar_night_there_is_no_window_and_the_device_is_held_saying_why()
    {
        var window = new DaylightWindow(DaylightWindow.DefaultOffset);

        var summer = window.Check(Tromso, new DateTimeOffset(2026, 6, 21, 11, 0, 0, TimeSpan.Zero));
        var winter = window.Check(Tromso, new DateTimeOffset(2026, 12, 21, 11, 0, 0, TimeSpan.Zero));

        Assert.That(summer.IsOpen, Is.False);
        Assert.That(summer.HoldReason, Does.Contain("no daylight window at 69.65,18.96 on 2026-06-21").And.Contain("polar day"));
        Assert.That(winter.IsOpen, Is.False);
        Assert.That(winter.HoldReason, Does.Contain("2026-12-21").And.Contain("polar night"));
    }

    [Test]
    public void A_day_no_longer_than_twice_the_offset_has_no_window_and_holds_the_device()
    {
        // Tromsø on 2026-11-24: the sun is up for well under eight hours.
        var check = new DaylightWindow(TimeSpan.FromHours(4)).Check(Tromso, new DateTimeOffset(2026, 11, 24, 10, 0, 0, TimeSpan.Zero));

        Assert.That(check.IsOpen, Is.False);
        Assert.That(check.HoldReason, Does.Contain("not longer than twice the offset of 240 min"));
    }

    [Test]
    public void Without_a_place_a_device_is_held_saying_what_is_missing()
    {
        var check = new DaylightWindow(DaylightWindow.DefaultOffset).Check(null, Local("2026-06-21", "12:00"));

        Assert.That(check.IsOpen, Is.False);
        Assert.That(check.HoldReason, Does.Contain("no latitude and longitude").And.Contain("location"));
    }

    [TestCase("daylight", 30)]
    [TestCase("Daylight", 30)]
    [TestCase("daylight+45m", 45)]
    [TestCase("daylight+1h", 60)]
    [TestCase("daylight+0m", 0)]
    public void A_daylight_window_reads_with_an_optional_offset_in_minutes_or_hours(string text, int minutes)
    {
        Assert.That(DaylightWindow.TryParse(text, out var window), Is.True);
        Assert.That(window.Offset, Is.EqualTo(TimeSpan.FromMinutes(minutes)));
        Assert.That(DaylightWindow.TryParse(window.ToString(), out var again) && again == window, Is.True, $"{window} reads back");
    }

    [TestCase("daylight-30m")]
    [TestCase("daylight+m")]
    [TestCase("daylight+30s")]
    [TestCase("daylight+ 30m")]
    [TestCase("night")]
    [TestCase("22:00-04:00")]
    public void Anything_else_is_not_a_daylight_window(string text)
    {
        Assert.That(DaylightWindow.TryParse(text, out _), Is.False);
    }

    [Test]
    public void Settings_with_an_offset_past_4_h_or_a_place_off_the_earth_are_refused_naming_the_field()
    {
        var settings = CampaignSettings.Default with { Daylight = new DaylightWindow(TimeSpan.FromHours(5)), Location = new GeoPoint(95, 114) };

        Assert.That(settings.Problems(), Is.EqualTo(new[]
        {
            "windows: expected a daylight offset from 0 to 4 h, found 05:00:00",
            "location: expected a latitude from -90 to 90 and a longitude from -180 to 180, found 95,114",
        }));
    }

    [Test]
    public void A_pole_is_offered_only_when_the_local_time_window_and_daylight_are_both_open()
    {
        // 09:00–20:00 in the city's time; daylight ends at 18:41 (sunset 19:11 - 30 min) on 21 June.
        var settings = Settings with { Windows = [new MaintenanceWindow(new TimeOnly(9, 0), new TimeOnly(20, 0))], UtcOffset = ChinaStandardTime };

        Assert.That(Offered(settings, Local("2026-06-21", "06:30")), Is.Empty, "daylight, but before the time window");
        Assert.That(Offered(settings, Local("2026-06-21", "19:00")), Is.Empty, "in the time window, but the lamps are about to go on");
        Assert.That(Offered(settings, Local("2026-06-21", "10:00")), Is.EqualTo(new[] { "slc-sz" }));
    }

    [Test]
    public void A_pole_the_ledger_has_no_place_for_takes_the_campaigns_location_or_is_held_with_the_reason_in_its_status()
    {
        var noon = Local("2026-06-21", "12:00");
        var withFallback = Plan(Settings with { Location = Shenzhen });
        var without = Plan(Settings);

        var offeredWithFallback = withFallback.Advance(noon, _ => null).Select(o => o.Device);
        var offeredWithout = without.Advance(noon, _ => null).Select(o => o.Device);

        Assert.That(offeredWithFallback, Is.EquivalentTo(new[] { "slc-sz", "slc-unplaced" }));
        Assert.That(offeredWithout, Is.EqualTo(new[] { "slc-sz" }));
        var held = without.Snapshot().Devices.Single(d => d.Target.Device == "slc-unplaced");
        Assert.That(held.State, Is.EqualTo(CampaignDeviceState.Pending));
        Assert.That(held.Reason, Does.StartWith("held: the daylight window needs the device's place"));
    }

    [Test]
    public void A_held_pole_that_the_ledger_places_later_is_offered_in_daylight_and_loses_its_hold()
    {
        var campaign = Plan(Settings);
        var noon = Local("2026-06-21", "12:00");
        campaign.Advance(noon, _ => null);

        campaign.Join([new CampaignTarget("slc-unplaced", "gw-1", "2.3.1") { Location = Shenzhen }]);
        var offers = campaign.Advance(noon.AddMinutes(1), _ => null);

        var device = campaign.Devices.Single(d => d.Device == "slc-unplaced");
        Assert.That(offers.Select(o => o.Device), Is.EqualTo(new[] { "slc-unplaced" }));
        Assert.That((device.State, device.Reason), Is.EqualTo((CampaignDeviceState.Offered, (string?)null)));
    }

    private static CampaignSettings Settings => CampaignSettings.Default with
    {
        Waves = [WaveSize.Share(100)],
        MaxConcurrentDownloads = 100,
        MaxConcurrentPerGateway = 100,
        Daylight = new DaylightWindow(DaylightWindow.DefaultOffset),
    };

    private static Campaign Plan(CampaignSettings settings) => Campaign.Plan(
        "c-daylight",
        Manifest,
        settings,
        [new CampaignTarget("slc-sz", "gw-1", "2.3.1") { Location = Shenzhen }, new CampaignTarget("slc-unplaced", "gw-1", "2.3.1")],
        Local("2026-06-20", "12:00"));

    private static IReadOnlyList<string> Offered(CampaignSettings settings, DateTimeOffset at) =>
        Plan(settings).Advance(at, _ => null).Select(o => o.Device).ToList();

    private static DateTimeOffset Local(string date, string time) =>
        new(DateOnly.Parse(date, System.Globalization.CultureInfo.InvariantCulture).ToDateTime(TimeOnly.Parse(time, System.Globalization.CultureInfo.InvariantCulture)), ChinaStandardTime);
}
