using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CivicEdge.Fleet.Contracts.Access;
using CivicEdge.Fleet.Contracts.Health;

namespace CivicEdge.Fleet.Server.Tests.Health;

[Category("Integration")]
public sealed class HealthApiTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private HealthFleet _fleet = null!;
    private HttpClient _admin = null!;

    [OneTimeSetUp]
    public async Task StartTheFleet()
    {
        using var cancel = new CancellationTokenSource(Timeout);
        _fleet = await HealthFleet.StartAsync(cancel.Token);
        _admin = _fleet.Host.CreateClient();
    }

    [OneTimeTearDown]
    public async Task StopTheFleet()
    {
        _admin.Dispose();
        await _fleet.DisposeAsync();
    }

    [Test]
    public async Task The_roll_up_counts_every_device_by_state_and_verdict_in_total_and_by_tenant_district_and_kind()
    {
        var rollup = await _admin.GetFromJsonAsync("api/health", HealthJson.Default.HealthRollup);

        Assert.That(rollup!.At, Is.EqualTo(HealthFleet.T0));
        Assert.That(rollup.Total, Is.EqualTo(new HealthCounts("all", 4, 2, 0, 1, 1, 2, 0, 0, 1, 1)));
        Assert.That(rollup.ByTenant.Select(c => (c.Key, c.Devices, c.Online)), Is.EqualTo(new[] { ("gas", 1, 0), ("water", 3, 2) }));
        Assert.That(rollup.ByDistrict.Select(c => (c.Key, c.Devices)), Is.EqualTo(new[] { ("Erqi", 2), ("Jinshui", 2) }));
        Assert.That(rollup.ByKind.Select(c => (c.Key, c.Devices)), Is.EqualTo(new[] { ("gasMeter", 1), ("gateway", 1), ("waterMeter", 2) }));
    }

    [Test]
    public async Task The_device_list_filters_by_verdict_and_kind_and_each_entry_says_why()
    {
        var offline = await _admin.GetFromJsonAsync("api/health/devices?verdict=offline", HealthJson.Default.IReadOnlyListDeviceHealthStatus);
        var waterMeters = await _admin.GetFromJsonAsync("api/health/devices?kind=waterMeter&district=erqi", HealthJson.Default.IReadOnlyListDeviceHealthStatus);

        Assert.That(offline!.Select(d => (d.Device, d.State, d.Reasons[0].Code)), Is.EqualTo(new[] { ("gm-1", ConnectivityState.Offline, "offline") }));
        Assert.That(waterMeters!.Select(d => (d.Device, d.Verdict, d.CadenceSeconds, d.CadenceOrigin)), Is.EqualTo(new[] { ("wm-2", DeviceVerdict.Unknown, 600.0, "kind") }));
    }

    [TestCase("api/health/devices?state=sleepy", "state", "state: expected one of online, late, offline, unknown, found 'sleepy'")]
    [TestCase("api/health?colour=red", "colour", "colour: expected one of tenant, district, kind, found an unknown parameter")]
    [TestCase("api/health/devices?verdict=broken", "verdict", "verdict: expected one of ok, degraded, failing, offline, unknown, found 'broken'")]
    public async Task A_bad_query_parameter_is_refused_naming_it_with_what_was_expected(string url, string parameter, string message)
    {
        using var response = await _admin.GetAsync(url);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(problem.RootElement.GetProperty("errors").GetProperty(parameter)[0].GetString(), Is.EqualTo(message));
    }

    [Test]
    public async Task One_devices_health_names_its_cadence_last_report_and_verdict()
    {
        var status = await _admin.GetFromJsonAsync("api/devices/wm-1/health", HealthJson.Default.DeviceHealthStatus);

        Assert.That((status!.Device, status.Gateway, status.Tenant, status.State, status.Verdict, status.LastSeen),
            Is.EqualTo(("wm-1", (string?)"gw-water", (string?)"water", ConnectivityState.Online, DeviceVerdict.Ok, (DateTimeOffset?)HealthFleet.T0.AddMinutes(-2))));
    }

    [Test]
    public async Task A_tenants_caller_sees_the_health_of_its_own_devices_only_and_another_tenants_device_is_unknown()
    {
        using var regulator = await _fleet.ClientAsync("water regulator", FleetRole.Regulator, "water");

        var rollup = await regulator.GetFromJsonAsync("api/health", HealthJson.Default.HealthRollup);
        var devices = await regulator.GetFromJsonAsync("api/health/devices", HealthJson.Default.IReadOnlyListDeviceHealthStatus);
        using var other = await regulator.GetAsync("api/devices/gm-1/health");

        Assert.That(rollup!.Total.Devices, Is.EqualTo(3));
        Assert.That(rollup.ByTenant.Select(c => c.Key), Is.EqualTo(new[] { "water" }));
        Assert.That(devices!.Select(d => d.Device), Is.EqualTo(new[] { "gw-water", "wm-1", "wm-2" }));
        Assert.That(other.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
    }

    [Test]
    public async Task An_installer_may_read_a_devices_health_but_not_the_roll_ups()
    {
        using var installer = await _fleet.ClientAsync("installer", FleetRole.Installer, "water");

        using var rollup = await installer.GetAsync("api/health");
        using var device = await installer.GetAsync("api/devices/wm-1/health");

        Assert.That((rollup.StatusCode, device.StatusCode), Is.EqualTo((HttpStatusCode.Forbidden, HttpStatusCode.OK)));
    }

    [Test]
    public async Task The_assessment_gives_the_meter_reporting_share_per_district_and_owner()
    {
        var assessment = await _admin.GetFromJsonAsync("api/health/assessment", HealthJson.Default.PlanAssessment);
        var water = await _admin.GetFromJsonAsync("api/health/assessment?tenant=water", HealthJson.Default.PlanAssessment);

        Assert.That(assessment!.Rows.Select(r => (r.District, r.Tenant, r.MeterReporting.Counted, r.MeterReporting.Eligible)),
            Is.EqualTo(new[] { ("Erqi", "gas", 1, 1), ("Erqi", "water", 0, 1), ("Jinshui", "water", 1, 1) }));
        Assert.That(assessment.Total.MeterReporting, Is.EqualTo(new AssessmentFigure(2, 3, 0.6667)));
        Assert.That(water!.Total.MeterReporting, Is.EqualTo(new AssessmentFigure(1, 2, 0.5)));
    }
}
