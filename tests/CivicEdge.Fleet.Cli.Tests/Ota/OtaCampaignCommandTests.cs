using System.Net;
using System.Text.Json;
using CivicEdge.Fleet.Cli.Ota;
using CivicEdge.Fleet.Contracts.Ota;
using Microsoft.Extensions.Time.Testing;
using Spectre.Console.Testing;

namespace CivicEdge.Fleet.Cli.Tests.Ota;

/// <summary><c>civic ota campaign create|status|pause|resume|cancel|retry</c> against a stub fleet.</summary>
[Category("Unit")]
public sealed class OtaCampaignCommandTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 29, 3, 0, 0, TimeSpan.Zero);

    private static readonly OtaCampaign Halted = new(
        "slc-2.4.0", "pole-controller@2.4.0", "2.4.0", "halted",
        "wave 2 of 3 (10%): 2 of 18 devices failed (11.1 %), above the threshold of 5 %; slc-0007: rolled back to 2.3.1: no lamp current",
        2, "city-a", "ops", Now.AddHours(-1),
        [new OtaCampaignWave(1, "1%", 2, 0, 0, 2, 0), new OtaCampaignWave(2, "10%", 18, 0, 3, 13, 2), new OtaCampaignWave(3, "100%", 180, 180, 0, 0, 0)],
        [
            new OtaCampaignDevice("slc-0000", "gw-00", 1, "succeeded", 1, "2.3.1", "2.4.0", 1024, null),
            new OtaCampaignDevice("slc-0007", "gw-07", 2, "failed", 1, "2.3.1", "2.3.1", 1024, "rolled back to 2.3.1: no lamp current"),
            new OtaCampaignDevice("slc-0012", "gw-02", 2, "failed", 1, "2.3.1", null, 512, "did not confirm 2.4.0 within 20 min of the offer (last: downloading)"),
        ]);

    [Test]
    public async Task Status_of_a_halted_campaign_shows_why_each_waves_counts_and_every_failed_device_with_its_reason()
    {
        var fleet = new StubFleet().Answer("/api/ota/campaigns/slc-2.4.0", JsonSerializer.Serialize(Halted, OtaJson.Default.OtaCampaign));

        var (exit, output) = await RunAsync(fleet, "ota", "campaign", "status", "slc-2.4.0", "--watch");

        Assert.That(exit, Is.Zero, output);
        Assert.That(output, Does.Contain("halted, wave 2 of 3"));
        Assert.That(output, Does.Contain("2 of 18 devices failed (11.1 %), above the threshold of 5 %"));
        Assert.That(output, Does.Contain("slc-0007").And.Contain("no lamp current").And.Contain("did not confirm 2.4.0 within 20 min"));
        Assert.That(output, Does.Not.Contain("slc-0000"), "only failed devices are listed");
        Assert.That(fleet.Requests, Has.Count.EqualTo(1), "--watch stops once the campaign halted");
    }

    [Test]
    public async Task Status_shows_each_device_under_way_with_the_bytes_it_has_and_its_share_of_the_image()
    {
        var running = Halted with
        {
            State = "running",
            Reason = null,
            Size = 24_000,
            Devices =
            [
                new OtaCampaignDevice("slc-0003", "gw-03", 2, "offered", 1, "2.3.1", null, 12_000, null),
                new OtaCampaignDevice("slc-0004", "gw-03", 2, "offered", 1, "2.3.1", null, null, null),
                new OtaCampaignDevice("slc-0005", "gw-04", 2, "installing", 1, "2.3.1", null, 24_000, null),
                new OtaCampaignDevice("slc-0000", "gw-00", 1, "succeeded", 1, "2.3.1", "2.4.0", 24_000, null),
            ],
        };
        var fleet = new StubFleet().Answer("/api/ota/campaigns/slc-2.4.0", JsonSerializer.Serialize(running, OtaJson.Default.OtaCampaign));

        var (exit, output) = await RunAsync(fleet, "ota", "campaign", "status", "slc-2.4.0");

        Assert.That(exit, Is.Zero, output);
        var lines = output.Split('\n');
        Assert.That(lines.Single(l => l.Contains("slc-0003", StringComparison.Ordinal)), Does.Contain("offered").And.Contain("12,000 of 24,000 bytes (50 %)"));
        Assert.That(lines.Single(l => l.Contains("slc-0004", StringComparison.Ordinal)), Does.Contain("no bytes reported"));
        Assert.That(lines.Single(l => l.Contains("slc-0005", StringComparison.Ordinal)), Does.Contain("installing").And.Contain("24,000 of 24,000 bytes (100 %)"));
        Assert.That(output, Does.Not.Contain("slc-0000"), "a device done is counted in its wave, not listed");
    }

    [TestCase(null, 100L, "no bytes reported")]
    [TestCase(999L, 1000L, "999 of 1,000 bytes (99 %)")]
    [TestCase(4096L, null, "4,096 bytes")]
    public void Progress_reads_as_bytes_of_the_image_and_never_rounds_up_to_done(long? bytes, long? size, string expected) =>
        Assert.That(OtaOutput.Progress(bytes, size), Is.EqualTo(expected));

    [Test]
    public async Task Create_sends_the_waves_threshold_windows_and_query_as_given_and_leaves_the_rest_to_the_fleets_defaults()
    {
        var fleet = new StubFleet().Answer("/api/ota/campaigns", JsonSerializer.Serialize(Halted, OtaJson.Default.OtaCampaign), HttpStatusCode.Created);

        var (exit, output) = await RunAsync(fleet, "ota", "campaign", "create", "slc-2.4.0", "--artifact", "pole-controller@2.4.0",
            "--wave", "1%", "--wave", "10%", "--wave", "100%", "--threshold", "0.05", "--soak", "00:05:00", "--window", "22:00-04:00",
            "--kind", "poleController", "--district", "Altstadt", "--tag", "north");

        Assert.That(exit, Is.Zero, output);
        var sent = JsonSerializer.Deserialize(fleet.Sent.Single().Body!, OtaJson.Default.OtaCampaignRequest)!;
        Assert.That(sent.Waves, Is.EqualTo(new[] { "1%", "10%", "100%" }));
        Assert.That((sent.FailureThreshold, sent.SoakTime, sent.District), Is.EqualTo((0.05, TimeSpan.FromMinutes(5), "Altstadt")));
        Assert.That((sent.Windows, sent.Tags), Is.EqualTo((new[] { "22:00-04:00" }, new[] { "north" })));
        Assert.That((sent.ConfirmTimeout, sent.HealthWindow, sent.MaxConcurrentDownloads), Is.EqualTo(((TimeSpan?)null, (TimeSpan?)null, (int?)null)));
    }

    [Test]
    public async Task Create_sends_a_daylight_window_beside_a_time_window_and_the_fallback_location()
    {
        var fleet = new StubFleet().Answer("/api/ota/campaigns", JsonSerializer.Serialize(Halted, OtaJson.Default.OtaCampaign), HttpStatusCode.Created);

        var (exit, output) = await RunAsync(fleet, "ota", "campaign", "create", "slc-sz", "--artifact", "pole-controller@2.4.0",
            "--window", "09:00-17:00", "--window", "daylight+45m", "--utc-offset", "08:00", "--location", "22.54,114.06");

        Assert.That(exit, Is.Zero, output);
        var sent = JsonSerializer.Deserialize(fleet.Sent.Single().Body!, OtaJson.Default.OtaCampaignRequest)!;
        Assert.That((sent.Windows, sent.UtcOffset, sent.Location), Is.EqualTo((new[] { "09:00-17:00", "daylight+45m" }, (TimeSpan?)TimeSpan.FromHours(8), "22.54,114.06")));
    }

    [Test]
    public async Task Status_shows_the_windows_and_every_held_pole_with_why_it_is_not_offered()
    {
        var daylight = Halted with
        {
            State = "running",
            Reason = null,
            Windows = ["09:00-17:00", "daylight+45m"],
            UtcOffset = TimeSpan.FromHours(8),
            Location = null,
            Devices = [new OtaCampaignDevice("slc-0031", "gw-03", 1, "pending", 0, "2.3.1", null, null, "held: no daylight window at 69.65,18.96 on 2026-12-21 (polar night: the sun does not rise)")],
        };
        var fleet = new StubFleet().Answer("/api/ota/campaigns/slc-2.4.0", JsonSerializer.Serialize(daylight, OtaJson.Default.OtaCampaign));

        var (exit, output) = await RunAsync(fleet, "ota", "campaign", "status", "slc-2.4.0");

        Assert.That(exit, Is.Zero, output);
        Assert.That(output, Does.Contain("windows   09:00-17:00 (UTC+08:00); daylight+45m at each device's place, devices without one held"));
        Assert.That(output, Does.Contain("held device").And.Contain("slc-0031").And.Contain("polar night: the sun does not rise"));
    }

    [Test]
    public async Task Create_with_an_unknown_kind_is_refused_before_anything_is_sent()
    {
        var fleet = new StubFleet();

        var (exit, output) = await RunAsync(fleet, "ota", "campaign", "create", "c-1", "--artifact", "pole-controller@2.4.0", "--kind", "streetlight");

        Assert.That(exit, Is.EqualTo(CivicCommandLine.UsageExitCode));
        Assert.That(output, Does.Contain("--kind: expected one of").And.Contain("found 'streetlight'"));
        Assert.That(fleet.Requests, Is.Empty);
    }

    [Test]
    public async Task Pause_sends_its_reason_with_the_request()
    {
        var fleet = new StubFleet().Answer("/api/ota/campaigns/slc-2.4.0/pause?reason=street%20festival", JsonSerializer.Serialize(Halted with { State = "paused", Reason = "street festival" }, OtaJson.Default.OtaCampaign));

        var (exit, output) = await RunAsync(fleet, "ota", "campaign", "pause", "slc-2.4.0", "--reason", "street festival");

        Assert.That(exit, Is.Zero, output);
        Assert.That(fleet.Sent.Single().Method, Is.EqualTo(HttpMethod.Post));
        Assert.That(output, Does.Contain("paused").And.Contain("street festival"));
    }

    private static async Task<(int Exit, string Output)> RunAsync(StubFleet fleet, params string[] args)
    {
        var console = new TestConsole().Width(250);
        var root = CivicCommandLine.Build(console, baseAddress => new HttpClient(fleet) { BaseAddress = baseAddress }, new FakeTimeProvider(Now));
        var errors = new StringWriter();
        var exit = await root.Parse(args).InvokeAsync(new System.CommandLine.InvocationConfiguration { Output = TextWriter.Null, Error = errors });
        return (exit, console.Output + errors);
    }
}
