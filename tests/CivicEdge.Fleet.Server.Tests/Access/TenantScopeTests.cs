using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CivicEdge.Fleet.Contracts;
using CivicEdge.Fleet.Contracts.Access;
using CivicEdge.Fleet.Contracts.Ledger;

namespace CivicEdge.Fleet.Server.Tests.Access;

/// <summary>
/// A caller sees and acts on the devices of its tenants only: lists leave the others out, and a device of another
/// tenant answers 404 with the very document of an unknown device, so that its existence does not leak. A device with
/// no tenant yet is for city-wide admins.
/// </summary>
[Category("Integration")]
public sealed class TenantScopeTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private TenantFleet _fleet = null!;
    private HttpClient _waterOperator = null!;
    private HttpClient _admin = null!;

    /// <summary>Everything a reader can ask about one device.</summary>
    private static readonly string[] DeviceReads =
    [
        "api/devices/{0}",
        "api/devices/{0}/telemetry?" + "{1}",
        "api/devices/{0}/events?" + "{1}",
        "api/devices/{0}/twin",
    ];

    [OneTimeSetUp]
    public async Task StartTheFleet()
    {
        using var cancel = new CancellationTokenSource(Timeout);
        _fleet = await TenantFleet.StartAsync(cancel.Token);
        _waterOperator = _fleet.Host.CreateClient(await _fleet.KeyAsync("water dispatch", FleetRole.Operator, "water"));
        _admin = _fleet.Host.CreateClient();
    }

    [OneTimeTearDown]
    public async Task StopTheFleet()
    {
        _waterOperator.Dispose();
        _admin.Dispose();
        await _fleet.DisposeAsync();
    }

    [Test]
    public async Task The_device_list_holds_only_the_devices_of_the_callers_tenants()
    {
        var devices = await _waterOperator.GetFromJsonAsync("api/devices", LedgerJson.Default.IReadOnlyListDeviceListItem);

        Assert.That(devices!.Select(d => d.Id), Is.EqualTo(new[] { "gw-water", "mtr-water" }));
    }

    [Test]
    public async Task A_city_wide_admin_lists_every_device_including_one_with_no_tenant_yet()
    {
        var devices = await _admin.GetFromJsonAsync("api/devices", LedgerJson.Default.IReadOnlyListDeviceListItem);

        Assert.That(devices!.Select(d => d.Id), Is.EquivalentTo(new[] { "gw-gas", "gw-water", "mtr-water", "mtr-gas", "mtr-stray" }));
    }

    [Test]
    public async Task The_event_list_holds_only_events_of_the_callers_devices_and_naming_another_tenants_device_finds_none()
    {
        var all = await _waterOperator.GetFromJsonAsync($"api/events?{TenantFleet.Window}", ContractsJson.Default.IReadOnlyListEventEntry);
        var gas = await _waterOperator.GetFromJsonAsync($"api/events?device=mtr-gas&{TenantFleet.Window}", ContractsJson.Default.IReadOnlyListEventEntry);
        var adminAll = await _admin.GetFromJsonAsync($"api/events?{TenantFleet.Window}", ContractsJson.Default.IReadOnlyListEventEntry);

        Assert.That(all!.Select(e => e.DeviceId), Is.EqualTo(new[] { "mtr-water" }));
        Assert.That(gas, Is.Empty);
        Assert.That(adminAll!.Select(e => e.DeviceId), Is.EquivalentTo(new[] { "mtr-water", "mtr-gas", "mtr-stray" }), "the filter is the caller's, not the data's");
    }

    [Test]
    public async Task A_tenants_caller_gets_its_newest_events_up_to_the_limit_however_many_of_other_tenants_are_newer()
    {
        var store = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<CivicEdge.Fleet.Core.IFleetStore>(_fleet.Host.Services);
        var at = TenantFleet.T0.AddDays(2);
        await store.StoreEventsAsync(new EventBatch("gw-water", Streams.Events,
            [.. Enumerable.Range(2, 5).Select(i => Event(i, "mtr-water", at.AddSeconds(i)))]), at, CancellationToken.None);
        await store.StoreEventsAsync(new EventBatch("gw-gas", Streams.Events,
            [.. Enumerable.Range(2, 40).Select(i => Event(i, "mtr-gas", at.AddMinutes(1).AddSeconds(i % 7)))]), at, CancellationToken.None);
        var window = $"from={Uri.EscapeDataString(at.ToString("O"))}&to={Uri.EscapeDataString(at.AddHours(1).ToString("O"))}";

        var water = await _waterOperator.GetFromJsonAsync($"api/events?{window}&limit=3", ContractsJson.Default.IReadOnlyListEventEntry);
        var all = await _admin.GetFromJsonAsync($"api/events?{window}&limit=3", ContractsJson.Default.IReadOnlyListEventEntry);

        Assert.That(water!.Select(e => (e.DeviceId, e.Seq)), Is.EqualTo(new[] { ("mtr-water", 4L), ("mtr-water", 5L), ("mtr-water", 6L) }));
        Assert.That(all!.Select(e => e.DeviceId), Is.All.EqualTo("mtr-gas"));
    }

    [TestCase("mtr-water", "gw-water")]
    public async Task Every_read_of_a_device_of_the_callers_tenant_is_answered(string meter, string gateway)
    {
        foreach (var path in DeviceReads.Select(p => string.Format(System.Globalization.CultureInfo.InvariantCulture, p, p.EndsWith("twin", StringComparison.Ordinal) ? gateway : meter, TenantFleet.Window)))
        {
            using var response = await _waterOperator.GetAsync(path);
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), path);
        }

        using var health = await _waterOperator.GetAsync($"api/gateways/{gateway}/health");
        Assert.That(health.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [TestCase("mtr-gas", "gw-gas", Description = "another tenant's")]
    [TestCase("mtr-stray", "gw-stray", Description = "no tenant yet")]
    public async Task Every_read_of_a_device_outside_the_callers_tenants_answers_exactly_as_for_a_device_that_does_not_exist(string meter, string gateway)
    {
        foreach (var template in DeviceReads.Append("api/gateways/{0}/health"))
        {
            var target = template.Contains("twin", StringComparison.Ordinal) || template.Contains("health", StringComparison.Ordinal) ? gateway : meter;
            var existing = string.Format(System.Globalization.CultureInfo.InvariantCulture, template, target, TenantFleet.Window);
            var missing = string.Format(System.Globalization.CultureInfo.InvariantCulture, template, "no-such-" + target, TenantFleet.Window);

            using var hidden = await _waterOperator.GetAsync(existing);
            using var unknown = await _waterOperator.GetAsync(missing);
            using var asAdmin = await _admin.GetAsync(existing);

            Assert.That(hidden.StatusCode, Is.EqualTo(HttpStatusCode.NotFound), existing);
            Assert.That(hidden.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
            Assert.That(Redacted(await hidden.Content.ReadAsStringAsync(), target), Is.EqualTo(Redacted(await unknown.Content.ReadAsStringAsync(), "no-such-" + target)), existing);
            Assert.That(asAdmin.StatusCode, Is.EqualTo(HttpStatusCode.OK), $"{existing} exists: a city-wide admin reads it");
        }
    }

    [Test]
    public async Task A_twin_of_another_tenant_cannot_be_changed_and_stays_as_it_was()
    {
        using var put = await _waterOperator.PutAsync("api/devices/gw-gas/twin/desired", new StringContent("""{"devices":[]}""", System.Text.Encoding.UTF8, "application/json"));
        using var delete = await _waterOperator.DeleteAsync("api/devices/gw-gas/twin/desired");

        Assert.That((put.StatusCode, delete.StatusCode), Is.EqualTo((HttpStatusCode.NotFound, HttpStatusCode.NotFound)));
        var twin = await _admin.GetFromJsonAsync("api/devices/gw-gas/twin", ContractsJson.Default.DeviceTwin);
        Assert.That(twin!.Desired!.Version, Is.EqualTo(1));
    }

    [Test]
    public async Task A_refusal_for_scope_is_audited_with_the_caller_and_the_device()
    {
        using var _ = await _waterOperator.GetAsync("api/devices/mtr-gas/telemetry");

        var denials = await _fleet.AuditAsync("target=mtr-gas&action=access.denied");

        Assert.That(denials, Is.Not.Empty);
        var denial = denials[^1];
        Assert.That((denial.Role, denial.Tenant, denial.Outcome), Is.EqualTo(((FleetRole?)FleetRole.Operator, "gas", AuditOutcome.Denied)));
        Assert.That(denial.Actor, Does.Contain("water dispatch"));
        Assert.That(denial.ActorTenants, Is.EqualTo(new[] { "water" }));
        Assert.That(denial.Detail, Does.Contain("404 GET /api/devices/mtr-gas/telemetry"));
    }

    [Test]
    public async Task A_twin_change_within_the_callers_tenant_is_done_and_audited_with_who_what_where_and_how_it_ended()
    {
        using var response = await _waterOperator.PutAsync("api/devices/gw-water/twin/desired", new StringContent("""{"devices":[]}""", System.Text.Encoding.UTF8, "application/json"));
        using var refused = await _waterOperator.PutAsync("api/devices/gw-water/twin/desired", new StringContent("""{"devices":{}}""", System.Text.Encoding.UTF8, "application/json"));

        Assert.That(response.StatusCode, Is.AnyOf(HttpStatusCode.OK, HttpStatusCode.Accepted));
        Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        var entries = await _fleet.AuditAsync("target=gw-water&action=twin.set");
        var (done, failed) = (entries[^2], entries[^1]);
        Assert.That((done.Outcome, done.Role, done.Tenant), Is.EqualTo((AuditOutcome.Succeeded, (FleetRole?)FleetRole.Operator, "water")));
        Assert.That(done.Actor, Does.Contain("water dispatch"));
        Assert.That(done.Detail, Does.Contain("desired version"));
        Assert.That(done.CorrelationId, Is.Not.Null.And.Not.Empty);
        Assert.That(failed.Outcome, Is.EqualTo(AuditOutcome.Failed));
        Assert.That(failed.Detail, Does.Contain("devices"));
    }

    private static EventRecord Event(long seq, string device, DateTimeOffset at) =>
        new(seq, device, at, "door.open", EventState.Occurred, EventSeverity.Warning, "Cabinet door opened", null, null);

    private static string Redacted(string problem, string id)
    {
        using var document = JsonDocument.Parse(problem);
        var root = document.RootElement;
        return $"{root.GetProperty("status").GetInt32()} {root.GetProperty("title").GetString()} {root.GetProperty("detail").GetString()!.Replace(id, "<id>", StringComparison.Ordinal)}";
    }
}
