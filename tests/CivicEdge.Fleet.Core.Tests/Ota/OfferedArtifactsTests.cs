using CivicEdge.Fleet.Contracts.Ota;
using CivicEdge.Fleet.Core.Ota;

namespace CivicEdge.Fleet.Core.Tests.Ota;

[Category("Unit")]
public sealed class OfferedArtifactsTests
{
    private static readonly CancellationToken None = CancellationToken.None;
    private static readonly OtaManifest Firmware = new("pole-controller", ArtifactKind.Firmware, ["slc-200"], "2.4.0", null, 1024, new string('a', 64), null, DateTimeOffset.UnixEpoch);
    private static readonly OtaManifest Other = Firmware with { Version = "2.5.0" };

    private InMemoryCampaignStore _store = null!;
    private OfferedArtifacts _offered = null!;

    [SetUp]
    public async Task SetUp()
    {
        _store = new InMemoryCampaignStore();
        _offered = new OfferedArtifacts(_store);
        await AddAsync("c-1", Firmware, [new CampaignTarget("slc-1", "gw-1", "2.3.1"), new CampaignTarget("slc-own", "slc-own", "2.3.1")]);
    }

    private async Task AddAsync(string id, OtaManifest manifest, IEnumerable<CampaignTarget> targets, Action<Campaign>? change = null)
    {
        var campaign = Campaign.Plan(id, manifest, CampaignSettings.Default, targets, DateTimeOffset.UnixEpoch);
        change?.Invoke(campaign);
        await _store.AddCampaignAsync(campaign.Snapshot(), new CampaignScope(null, null, null, null, null, null), null, "test", None);
    }

    [Test]
    public async Task A_device_in_a_live_campaign_may_download_its_artifact_and_so_may_the_gateway_it_hangs_off()
    {
        Assert.That(await _offered.RefusalAsync("slc-1", "pole-controller@2.4.0", None), Is.Null);
        Assert.That(await _offered.RefusalAsync("gw-1", "pole-controller@2.4.0", None), Is.Null);
        Assert.That(await _offered.RefusalAsync("slc-own", "pole-controller@2.4.0", None), Is.Null);
    }

    [Test]
    public async Task A_gateway_whose_devices_are_not_in_the_campaign_is_refused_naming_the_campaign()
    {
        var refusal = await _offered.RefusalAsync("gw-2", "pole-controller@2.4.0", None);

        Assert.That(refusal, Is.EqualTo("artifact 'pole-controller@2.4.0' is offered by campaign c-1, neither to gw-2 nor to a device behind it"));
    }

    [Test]
    public async Task An_artifact_no_campaign_offers_is_refused()
    {
        var refusal = await _offered.RefusalAsync("gw-1", "pole-controller@2.5.0", None);

        Assert.That(refusal, Does.StartWith("no running, paused or halted campaign offers artifact 'pole-controller@2.5.0'"));
    }

    [Test]
    public async Task A_cancelled_campaign_offers_nothing_while_a_paused_one_still_does()
    {
        await AddAsync("c-2", Other, [new CampaignTarget("slc-2", "gw-2", "2.3.1")], campaign => campaign.Cancel("wrong build"));
        await AddAsync("c-3", Other, [new CampaignTarget("slc-3", "gw-3", "2.3.1")], campaign => campaign.Pause("night"));

        Assert.That(await _offered.RefusalAsync("gw-2", "pole-controller@2.5.0", None), Does.Contain("neither to gw-2"));
        Assert.That(await _offered.RefusalAsync("gw-3", "pole-controller@2.5.0", None), Is.Null);
    }
}
