using System.Text.Json;
using CivicEdge.Fleet.Contracts.Ledger;
using CivicEdge.Fleet.Contracts.Ota;
using CivicEdge.Fleet.Core.Ota;

namespace CivicEdge.Fleet.Storage.LiteDb.Tests.Contract;

/// <summary>What every <see cref="ICampaignStore"/> must do, whatever its engine; a fresh, empty store per test.</summary>
public abstract class CampaignStoreContractTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 29, 2, 0, 0, TimeSpan.Zero);

    private static readonly OtaManifest Manifest = new(
        "pole-controller", ArtifactKind.Firmware, ["slc-200", "SLC-210"], "2.4.0", "2.0.0", 1_048_576, new string('b', 64), "dimming curve fix", T0.AddDays(-1));

    private static readonly CampaignSettings Settings = CampaignSettings.Default with
    {
        Waves = [WaveSize.Devices(2), WaveSize.Share(50), WaveSize.Share(100)],
        SoakTime = TimeSpan.FromSeconds(3),
        FailureThreshold = 0.1,
        ConfirmTimeout = TimeSpan.FromMinutes(2),
        HealthWindow = TimeSpan.FromSeconds(5),
        Windows = [new MaintenanceWindow(new TimeOnly(22, 0), new TimeOnly(4, 0))],
        UtcOffset = TimeSpan.FromHours(1),
        Daylight = new DaylightWindow(TimeSpan.FromMinutes(45)),
        Location = new GeoPoint(22.54, 114.06),
    };

    private static readonly CampaignScope Scope = new(DeviceKind.PoleController, "slc-200", "city-a", "Altstadt", ["pilot", "north"], "2.3.1");

    private ICampaignStore? _store;

    protected ICampaignStore Store => _store ?? throw new InvalidOperationException("The store is opened in SetUp.");

    protected abstract Task<ICampaignStore> OpenEmptyStoreAsync();

    protected abstract Task CloseStoreAsync(ICampaignStore store);

    [SetUp]
    public async Task OpenStore() => _store = await OpenEmptyStoreAsync();

    [TearDown]
    public async Task CloseStore()
    {
        if (_store is not null)
            await CloseStoreAsync(_store);
        _store = null;
    }

    [Test]
    public async Task A_campaign_under_way_reads_back_exactly_as_it_was_added_at_revision_1()
    {
        var campaign = UnderWay("c-2026-11");

        var added = await Store.AddCampaignAsync(campaign.Snapshot(), Scope, "city-a", "ops@city-a", CancellationToken.None);
        var read = await Store.FindCampaignAsync("c-2026-11", CancellationToken.None);

        Assert.That(read, Is.Not.Null);
        Assert.That((read!.Tenant, read.CreatedBy, read.Revision), Is.EqualTo(("city-a", "ops@city-a", 1L)));
        Assert.That((read.Scope.Kind, read.Scope.Model, read.Scope.Tenant, read.Scope.District, read.Scope.FromVersion), Is.EqualTo((Scope.Kind, Scope.Model, Scope.Tenant, Scope.District, Scope.FromVersion)));
        Assert.That(read.Scope.Tags, Is.EqualTo(new[] { "pilot", "north" }));
        Assert.That(Json(read.Campaign), Is.EqualTo(Json(campaign.Snapshot())));
        Assert.That(Json(added.Campaign), Is.EqualTo(Json(read.Campaign)));
        Assert.That(read.Campaign.Devices.Select(d => d.State), Does.Contain(CampaignDeviceState.Failed).And.Contain(CampaignDeviceState.Confirmed));
        Assert.That((read.Campaign.Settings.Daylight, read.Campaign.Settings.Location), Is.EqualTo((new DaylightWindow(TimeSpan.FromMinutes(45)), new GeoPoint(22.54, 114.06))));
        Assert.That(read.Campaign.Devices.Single(d => d.Target.Device == "slc-0002").Target.Location, Is.EqualTo(new GeoPoint(22.52, 114.05)));
    }

    [Test]
    public async Task An_operators_campaign_over_every_tenant_keeps_its_null_tenant()
    {
        await Store.AddCampaignAsync(UnderWay("c-all").Snapshot(), Scope, null, "operator", CancellationToken.None);

        Assert.That((await Store.FindCampaignAsync("c-all", CancellationToken.None))!.Tenant, Is.Null);
    }

    [Test]
    public async Task A_second_campaign_with_the_same_id_is_refused_and_the_first_is_kept()
    {
        await Store.AddCampaignAsync(UnderWay("c-1").Snapshot(), Scope, "city-a", "first", CancellationToken.None);

        var refused = await Assert.ThrowsAsync<InvalidOperationException>(async () => await Store.AddCampaignAsync(UnderWay("c-1").Snapshot(), Scope, "city-b", "second", CancellationToken.None));

        Assert.That(refused!.Message, Does.Contain("c-1"));
        Assert.That((await Store.FindCampaignAsync("c-1", CancellationToken.None))!.CreatedBy, Is.EqualTo("first"));
    }

    [Test]
    public async Task A_replace_at_the_revision_read_stores_the_new_state_at_the_next_revision_and_keeps_tenant_and_creator()
    {
        var campaign = UnderWay("c-1");
        await Store.AddCampaignAsync(campaign.Snapshot(), Scope, "city-a", "ops", CancellationToken.None);
        campaign.Pause("street festival");

        var replaced = await Store.ReplaceCampaignAsync(campaign.Snapshot(), 1, CancellationToken.None);
        var read = await Store.FindCampaignAsync("c-1", CancellationToken.None);

        Assert.That(replaced?.Revision, Is.EqualTo(2));
        Assert.That((read!.Revision, read.Tenant, read.CreatedBy), Is.EqualTo((2L, "city-a", "ops")));
        Assert.That((read.Campaign.State, read.Campaign.Reason), Is.EqualTo((CampaignState.Paused, "street festival")));
    }

    [Test]
    public async Task A_replace_at_a_stale_revision_changes_nothing_so_two_writers_never_lose_each_others_change()
    {
        var campaign = UnderWay("c-1");
        await Store.AddCampaignAsync(campaign.Snapshot(), Scope, "city-a", "ops", CancellationToken.None);
        var paused = Campaign.Restore(campaign.Snapshot());
        paused.Pause("by a person");
        await Store.ReplaceCampaignAsync(paused.Snapshot(), 1, CancellationToken.None);
        campaign.Cancel("by the scheduler's stale copy");

        var stale = await Store.ReplaceCampaignAsync(campaign.Snapshot(), 1, CancellationToken.None);
        var read = await Store.FindCampaignAsync("c-1", CancellationToken.None);

        Assert.That(stale, Is.Null);
        Assert.That((read!.Revision, read.Campaign.State), Is.EqualTo((2L, CampaignState.Paused)));
    }

    [Test]
    public async Task Replacing_a_campaign_that_was_never_added_is_refused_naming_it()
    {
        var missing = await Assert.ThrowsAsync<KeyNotFoundException>(async () => await Store.ReplaceCampaignAsync(UnderWay("c-missing").Snapshot(), 1, CancellationToken.None));

        Assert.That(missing!.Message, Does.Contain("c-missing"));
        Assert.That(await Store.FindCampaignAsync("c-missing", CancellationToken.None), Is.Null);
    }

    [Test]
    public async Task Campaigns_list_newest_first()
    {
        await Store.AddCampaignAsync(UnderWay("c-old", T0).Snapshot(), Scope, "city-a", "ops", CancellationToken.None);
        await Store.AddCampaignAsync(UnderWay("c-new", T0.AddHours(2)).Snapshot(), Scope, "city-b", "ops", CancellationToken.None);
        await Store.AddCampaignAsync(UnderWay("c-mid", T0.AddHours(1)).Snapshot(), Scope, null, "ops", CancellationToken.None);

        var listed = await Store.ListCampaignsAsync(CancellationToken.None);

        Assert.That(listed.Select(c => c.Id), Is.EqualTo(new[] { "c-new", "c-mid", "c-old" }));
        Assert.That(listed.Select(c => c.Tenant), Is.EqualTo(new[] { "city-b", null, "city-a" }));
    }

    [Test]
    public async Task A_campaign_taken_up_from_the_store_ignores_reports_it_applied_and_halts_on_the_next_failure()
    {
        var campaign = UnderWay("c-1");
        await Store.AddCampaignAsync(campaign.Snapshot(), Scope, "city-a", "ops", CancellationToken.None);

        var restored = Campaign.Restore((await Store.FindCampaignAsync("c-1", CancellationToken.None))!.Campaign);
        var repeated = restored.Apply(Report(restored, "slc-0000", 2, OtaPhase.Confirmed, "2.4.0"), T0);
        var applied = restored.Apply(Report(restored, "slc-0000", 3, OtaPhase.RolledBack, "2.3.1", "health check failed"), T0.AddMinutes(1));
        restored.Advance(T0.AddMinutes(1), _ => null);

        Assert.That((repeated, applied), Is.EqualTo((false, true)));
        Assert.That(restored.State, Is.EqualTo(CampaignState.Halted));
        Assert.That(restored.Reason, Does.StartWith("wave 1 of 3 (2): 2 of 2 devices failed"));
    }

    [Test]
    public async Task An_unknown_id_finds_nothing_and_an_empty_store_lists_nothing()
    {
        Assert.That(await Store.FindCampaignAsync("nope", CancellationToken.None), Is.Null);
        Assert.That(await Store.ListCampaignsAsync(CancellationToken.None), Is.Empty);
    }

    /// <summary>
    /// Ten devices behind three gateways at 03:00 local time, inside the 22:00–04:00 window and in daylight at the poles'
    /// places (10:00 in Shenzhen), half of them placed by the ledger, the canary of two offered:
    /// slc-0000 confirmed 2.4.0 after downloading half (in its health window), slc-0001 rolled back; one of two is
    /// within the 50 % threshold, so it still runs.
    /// </summary>
    private static Campaign UnderWay(string id, DateTimeOffset? createdAt = null)
    {
        var at = createdAt ?? T0;
        var targets = Enumerable.Range(0, 10).Select(i => new CampaignTarget($"slc-{i:D4}", $"gw-{i % 3:D2}", "2.3.1") { Location = i % 2 == 0 ? new GeoPoint(22.5 + (i / 100.0), 114.05) : null });
        var campaign = Campaign.Plan(id, Manifest, Settings with { FailureThreshold = 0.5 }, targets, at);
        campaign.Advance(at, _ => null);
        campaign.Apply(Report(campaign, "slc-0000", 1, OtaPhase.Downloading, null, bytes: 524_288), at);
        campaign.Apply(Report(campaign, "slc-0000", 2, OtaPhase.Confirmed, "2.4.0"), at);
        campaign.Apply(Report(campaign, "slc-0001", 1, OtaPhase.RolledBack, "2.3.1", "did not boot"), at);
        campaign.Advance(at, _ => null);
        return campaign;
    }

    private static OtaStatusReport Report(Campaign campaign, string device, long sequence, OtaPhase phase, string? running, string? reason = null, long? bytes = null) =>
        new(campaign.Id, device, campaign.Devices.Single(d => d.Device == device).Attempt, sequence, phase, bytes, running, reason, T0);

    private static string Json(CampaignSnapshot snapshot) => JsonSerializer.Serialize(snapshot, CampaignJson.Default.CampaignSnapshot);
}
