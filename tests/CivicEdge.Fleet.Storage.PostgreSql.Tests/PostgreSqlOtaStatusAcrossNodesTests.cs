using CivicEdge.Fleet.Contracts.Ledger;
using CivicEdge.Fleet.Contracts.Ota;
using CivicEdge.Fleet.Core.Ota;
using CivicEdge.Fleet.Storage.PostgreSql.Ledger;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace CivicEdge.Fleet.Storage.PostgreSql.Tests;

/// <summary>
/// Two fleet nodes on one PostgreSQL schema: node B's MQTT ingest takes in a status report, node A leads the campaigns.
/// The report reaches A's campaign runner through the store, whichever node received it and whether B still runs.
/// </summary>
[TestFixture]
[Category("Integration")]
public sealed class PostgreSqlOtaStatusAcrossNodesTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 29, 2, 0, 0, TimeSpan.Zero);

    private static readonly OtaManifest Manifest = new(
        "pole-controller", ArtifactKind.Firmware, ["slc-200"], "2.4.0", null, 1024, new string('c', 64), null, T0.AddDays(-1));

    private FixtureDatabase _database = null!;
    private PostgreSqlFleetStoreOptions _options = null!;
    private PostgreSqlFleetStore _leader = null!;
    private PostgreSqlFleetStore _follower = null!;
    private PostgreSqlDeviceLedgerStore _ledger = null!;
    private FakeTimeProvider _clock = null!;

    [OneTimeSetUp]
    public async Task CreateDatabase() => _database = await FixtureDatabase.CreateAsync("ota_nodes");

    [OneTimeTearDown]
    public Task DropDatabase() => _database.DropAsync();

    [SetUp]
    public async Task StartTwoNodes()
    {
        _clock = new FakeTimeProvider(T0);
        _options = _database.NewSchema();
        _leader = await FixtureDatabase.OpenAsync(_options, _clock);
        _follower = await FixtureDatabase.OpenAsync(_options, _clock);
        _ledger = new PostgreSqlDeviceLedgerStore(_options, NullLogger<PostgreSqlDeviceLedgerStore>.Instance);
        await _leader.AddArtifactAsync(
            new StoredArtifact(Manifest.ArtifactId, OtaPackageFormat.ManifestBytes(Manifest), Manifest, new OtaSignature(new string('a', 64), OtaSignature.Es256, Convert.ToBase64String(new byte[64])), "release", T0),
            new MemoryStream(new byte[1024]), CancellationToken.None);
        foreach (var code in new[] { "slc-0", "slc-1" })
        {
            await _ledger.TryAddDeviceAsync(
                new LedgerDevice(code, DeviceKind.PoleController, "slc-200", "city-a", null, "gw-0", LifecycleState.InService, "2.3.1", [], [], null, null, null, T0, T0, 1, []),
                CancellationToken.None);
        }
    }

    [TearDown]
    public async Task StopNodes()
    {
        await _leader.DisposeAsync();
        await _follower.DisposeAsync();
        await _ledger.DisposeAsync();
        await _database.DropSchemaAsync(_options.Schema);
    }

    [Test]
    public async Task A_report_received_by_a_node_that_does_not_lead_is_applied_by_the_leader_and_then_deleted()
    {
        var runner = Runner(_leader);
        await runner.CreateAsync("c-1", Manifest.ArtifactId, Settings(), new CampaignScope(DeviceKind.PoleController, null, null, null, null, null), null, "ops", CancellationToken.None);
        await runner.StepAsync(CancellationToken.None);
        var inboxOnB = new OtaStatusInbox(_follower, _clock);

        await inboxOnB.PostAsync("gw-0", new OtaStatusReport("c-1", "slc-0", 1, 1, OtaPhase.Confirmed, 1024, "2.4.0", null, T0), CancellationToken.None);
        await inboxOnB.PostAsync("gw-0", new OtaStatusReport("c-1", "slc-1", 1, 1, OtaPhase.Downloading, 512, null, null, T0), CancellationToken.None);
        await _follower.DisposeAsync();
        var step = await runner.StepAsync(CancellationToken.None);

        var devices = (await _leader.FindCampaignAsync("c-1", CancellationToken.None))!.Campaign.Devices.ToDictionary(d => d.Target.Device);
        Assert.That(step.ReportsApplied, Is.EqualTo(2));
        Assert.That((devices["slc-0"].State, devices["slc-1"].BytesReceived), Is.EqualTo((CampaignDeviceState.Confirmed, (long?)512)));
        Assert.That(await _leader.CountPendingOtaStatusAsync(CancellationToken.None), Is.Zero);
        Assert.That((await _ledger.FindDeviceAsync("slc-0", CancellationToken.None))!.Firmware, Is.EqualTo("2.4.0"));
    }

    [Test]
    public async Task A_leader_that_took_over_after_a_crash_applies_the_reports_its_predecessor_left()
    {
        var first = Runner(_follower);
        await first.CreateAsync("c-1", Manifest.ArtifactId, Settings(), new CampaignScope(DeviceKind.PoleController, null, null, null, null, null), null, "ops", CancellationToken.None);
        await first.StepAsync(CancellationToken.None);
        await new OtaStatusInbox(_follower, _clock).PostAsync("gw-0", new OtaStatusReport("c-1", "slc-1", 1, 1, OtaPhase.Failed, null, "2.3.1", "flash write error", T0), CancellationToken.None);
        await _follower.DisposeAsync();

        var step = await Runner(_leader).StepAsync(CancellationToken.None);

        var device = (await _leader.FindCampaignAsync("c-1", CancellationToken.None))!.Campaign.Devices.Single(d => d.Target.Device == "slc-1");
        Assert.That(step.ReportsApplied, Is.EqualTo(1));
        Assert.That((device.State, device.Reason), Is.EqualTo((CampaignDeviceState.Failed, "failed: flash write error")));
    }

    private CampaignRunner Runner(PostgreSqlFleetStore store) =>
        new(store, store, _ledger, new NoHealthSamples(), new AcceptingPublisher(), store, _clock);

    private static CampaignSettings Settings() => CampaignSettings.Default with
    {
        Waves = [WaveSize.Share(100)],
        FailureThreshold = 0.9,
        MaxConcurrentPerGateway = 10,
    };

    private sealed class NoHealthSamples : IDeviceHealthSamples
    {
        public Task<IReadOnlyDictionary<string, DeviceHealthSample>> SampleAsync(IReadOnlyCollection<string> devices, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyDictionary<string, DeviceHealthSample>>(new Dictionary<string, DeviceHealthSample>());
    }

    private sealed class AcceptingPublisher : IOtaOfferPublisher
    {
        public Task<bool> PublishOfferAsync(string addressee, OtaOffer offer, CancellationToken cancellationToken) => Task.FromResult(true);
    }
}
