using System.Security.Cryptography;
using System.Text.Json;
using CivicEdge.Fleet.Contracts;
using CivicEdge.Fleet.Contracts.Ota;
using CivicEdge.Gateway.Configuration;
using CivicEdge.Gateway.Ota;
using CivicEdge.Gateway.SelfUpdate;
using CivicEdge.Gateway.Tests.Support;
using CivicEdge.Gateway.Uplink;
using Microsoft.Extensions.Logging.Abstractions;

namespace CivicEdge.Gateway.Tests.SelfUpdate;

[Category("Integration")]
public sealed class SelfUpdateServiceTests
{
    private const string GatewayId = "gw-test-01";
    private const string Model = "linux-x64";
    private TempDirectory _directory = null!;
    private PayloadServer _server = null!;
    private OtaSigningKey _signer = null!;
    private InstallLayout _layout = null!;
    private readonly List<IAsyncDisposable> _running = [];
    private UplinkState? _uplinkState;

    [SetUp]
    public async Task SetUp()
    {
        _directory = new TempDirectory();
        _server = await PayloadServer.StartAsync();
        _signer = OtaSigningKey.Generate();
        _layout = new InstallLayout(_directory.Path);
        Directory.CreateDirectory(_layout.Slot("a"));
        File.CreateSymbolicLink(_layout.Current, "slots/a");
    }

    [TearDown]
    public async Task TearDown()
    {
        foreach (var running in _running)
            await running.DisposeAsync();
        await _server.DisposeAsync();
        _signer.Dispose();
        _directory.Dispose();
    }

    [Test]
    public async Task An_offer_is_downloaded_verified_staged_and_switched_to_with_every_step_reported_in_order()
    {
        var (service, session, lifetime) = await StartAsync("0.1.0");
        var payload = GatewayPayloads.Script("0.2.0");

        await session.DeliverAsync(Topics.Ota(GatewayId), Offer("0.2.0", payload));
        await Wait.UntilAsync(() => lifetime.StopRequested, "the gateway to exit after the switch");

        var reports = await ReportsAsync(session, 4);
        Assert.That(reports.Select(r => r.Phase), Is.EqualTo(new[] { OtaPhase.Downloading, OtaPhase.Verified, OtaPhase.Staged, OtaPhase.Rebooting }));
        Assert.That(reports.Select(r => r.Sequence), Is.EqualTo(new long[] { 1, 2, 3, 4 }));
        Assert.That(reports[0].BytesReceived, Is.EqualTo(0));
        Assert.That(_layout.ActiveSlot(), Is.EqualTo("b"));
        Assert.That(SlotStager.StagedVersion(_layout.Slot("b")), Is.EqualTo("0.2.0"));
        var state = new UpdateStateFile(_layout.StateFile).Read()!;
        Assert.That((state.Step, state.FromSlot, state.ToSlot, state.PreviousVersion, state.Reported), Is.EqualTo((UpdateStep.Switched, "a", "b", "0.1.0", 4L)));
        Assert.That(Directory.Exists(_layout.DownloadFolder), Is.False, "the payload is not kept once staged");
        Assert.That(service.State!.Step, Is.EqualTo(UpdateStep.Switched));
    }

    [Test]
    public async Task An_offer_signed_by_an_untrusted_key_is_refused_and_nothing_is_fetched()
    {
        var (_, session, _) = await StartAsync("0.1.0");
        using var stranger = OtaSigningKey.Generate();

        await session.DeliverAsync(Topics.Ota(GatewayId), Offer("0.2.0", GatewayPayloads.Script("0.2.0"), signer: stranger));

        var report = (await ReportsAsync(session, 1)).Single();
        Assert.That((report.Phase, report.RunningVersion), Is.EqualTo((OtaPhase.Failed, "0.1.0")));
        Assert.That(report.Reason, Does.StartWith("expected a signature by a trusted key"));
        Assert.That(_server.Requests, Is.Empty);
        Assert.That(File.Exists(_layout.StateFile), Is.False);
    }

    [TestCase("0.1.0", null, "expected a version newer than the running 0.1.0, found 0.1.0")]
    [TestCase("0.3.0", "0.2.0", "expected the device to run 0.2.0 or newer before installing 0.3.0, found 0.1.0")]
    public async Task An_offer_that_does_not_fit_is_refused_saying_why(string version, string? minimum, string reason)
    {
        var (_, session, _) = await StartAsync("0.1.0");

        await session.DeliverAsync(Topics.Ota(GatewayId), Offer(version, GatewayPayloads.Script(version), minimum: minimum));

        var report = (await ReportsAsync(session, 1)).Single();
        Assert.That((report.Phase, report.Reason), Is.EqualTo((OtaPhase.Failed, reason)));
    }

    [Test]
    public async Task A_payload_that_differs_from_its_signed_manifest_fails_before_anything_is_staged()
    {
        var (_, session, lifetime) = await StartAsync("0.1.0");
        var payload = GatewayPayloads.Script("0.2.0");
        var offer = Offer("0.2.0", payload);
        var tampered = (byte[])payload.Clone();
        tampered[^1] ^= 0xFF;
        _server.Put("civicedge-gateway@0.2.0", tampered);

        await session.DeliverAsync(Topics.Ota(GatewayId), offer);

        var reports = await ReportsAsync(session, 2);
        Assert.That(reports[1].Phase, Is.EqualTo(OtaPhase.Failed));
        Assert.That(reports[1].Reason, Does.StartWith("expected a payload with SHA-256 "));
        Assert.That(_layout.ActiveSlot(), Is.EqualTo("a"));
        Assert.That(Directory.Exists(_layout.Slot("b")), Is.False);
        Assert.That(lifetime.StopRequested, Is.False);
    }

    [Test]
    public async Task A_repeated_offer_is_answered_with_the_latest_report_and_not_started_again()
    {
        var (_, session, lifetime) = await StartAsync("0.1.0");
        var offer = Offer("0.2.0", GatewayPayloads.Script("0.2.0"));
        await session.DeliverAsync(Topics.Ota(GatewayId), offer);
        await Wait.UntilAsync(() => lifetime.StopRequested, "the switch");
        await ReportsAsync(session, 4);

        await session.DeliverAsync(Topics.Ota(GatewayId), offer);

        var repeat = (await ReportsAsync(session, 1)).Single();
        Assert.That((repeat.Phase, repeat.Sequence), Is.EqualTo((OtaPhase.Rebooting, 4L)));
        Assert.That(_server.Requests, Has.Count.EqualTo(1));
    }

    [Test]
    public async Task The_new_version_confirms_once_healthy_after_its_health_window()
    {
        var trial = UpdateStateTests.Sample(UpdateStep.Trial) with { Sequence = 4, Reported = 4, TrialDeadline = DateTimeOffset.UtcNow.AddMinutes(5).ToUnixTimeSeconds(), Reason = null };
        new UpdateStateFile(_layout.StateFile).Write(trial);
        var healthy = false;

        var (_, session, lifetime) = await StartAsync("0.2.0", () => healthy ? null : "the fleet has acknowledged no data yet");
        await Task.Delay(300);
        Assert.That(new UpdateStateFile(_layout.StateFile).Read()!.Step, Is.EqualTo(UpdateStep.Trial), "no confirmation while unhealthy");
        healthy = true;

        var report = (await ReportsAsync(session, 1)).Single();
        Assert.That((report.Phase, report.RunningVersion, report.Sequence), Is.EqualTo((OtaPhase.Confirmed, "0.2.0", 5L)));
        Assert.That(new UpdateStateFile(_layout.StateFile).Read()!.Step, Is.EqualTo(UpdateStep.Confirmed));
        Assert.That(lifetime.StopRequested, Is.False);
    }

    [Test]
    public async Task A_new_version_still_unhealthy_at_its_deadline_exits_for_the_launcher_to_roll_back()
    {
        var trial = UpdateStateTests.Sample(UpdateStep.Trial) with { Sequence = 4, Reported = 4, TrialDeadline = DateTimeOffset.UtcNow.AddSeconds(1).ToUnixTimeSeconds(), Reason = null };
        new UpdateStateFile(_layout.StateFile).Write(trial);

        var (_, _, lifetime) = await StartAsync("0.2.0", () => "the uplink is not connected");

        await Wait.UntilAsync(() => lifetime.StopRequested, "the unhealthy version to exit");
        Assert.That(new UpdateStateFile(_layout.StateFile).Read()!.Step, Is.EqualTo(UpdateStep.Trial), "the launcher, not the new version, decides the rollback");
        Environment.ExitCode = 0;
    }

    [Test]
    public async Task The_previous_version_reports_the_launchers_rollback_with_its_reason_once_connected()
    {
        var rolledBack = UpdateStateTests.Sample(UpdateStep.RolledBack) with { Sequence = 5, Reported = 4, Reason = "version 0.2.0 did not confirm in 3 starts" };
        new UpdateStateFile(_layout.StateFile).Write(rolledBack);

        var (_, session, _) = await StartAsync("0.1.0");

        var report = (await ReportsAsync(session, 1)).Single();
        Assert.That((report.Phase, report.Sequence, report.RunningVersion, report.Reason),
            Is.EqualTo((OtaPhase.RolledBack, 5L, "0.1.0", "version 0.2.0 did not confirm in 3 starts")));
        await Wait.UntilAsync(() => new UpdateStateFile(_layout.StateFile).Read()!.Reported == 5, "the report to be recorded as sent");
    }

    [Test]
    public async Task A_report_made_while_offline_is_sent_with_the_same_number_when_the_uplink_returns()
    {
        var verified = UpdateStateTests.Sample(UpdateStep.Staged) with { Sequence = 3, Reported = 2, Reason = null, ToSlot = "b", Deadline = DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeSeconds() };
        new UpdateStateFile(_layout.StateFile).Write(verified);
        await SlotStager.StageAsync(WritePayload(GatewayPayloads.Script("0.2.0")), _layout.Slot("b"), "0.2.0", null, CancellationToken.None);

        var (_, session, lifetime) = await StartAsync("0.1.0", connect: false);
        await Wait.UntilAsync(() => lifetime.StopRequested, "the switch while offline");
        var uplink = _uplinkState!;
        await uplink.ConnectedAsync(session, CancellationToken.None);

        var report = (await ReportsAsync(session, 1)).Single();
        Assert.That((report.Phase, report.Sequence), Is.EqualTo((OtaPhase.Rebooting, 4L)), "the staged report (3) was overtaken: only the latest is sent");
        Assert.That(_layout.ActiveSlot(), Is.EqualTo("b"));
    }

    private string WritePayload(byte[] bytes)
    {
        var path = _directory.File("staged.tar.gz");
        File.WriteAllBytes(path, bytes);
        return path;
    }

    private async Task<(SelfUpdateService Service, FakeUplinkSession Session, RecordingLifetime Lifetime)> StartAsync(
        string runningVersion, Func<string?>? unhealthy = null, bool connect = true)
    {
        var keyFile = _directory.File("release.pub.pem");
        File.WriteAllText(keyFile, _signer.PublicKey.Pem);
        var options = new SelfUpdateOptions
        {
            Enabled = true,
            InstallRoot = _layout.Root,
            HardwareModel = Model,
            FleetUrl = _server.BaseAddress.ToString(),
            TrustedKeyFiles = [keyFile],
            HealthWindow = TimeSpan.FromMilliseconds(100),
            TrialDeadline = TimeSpan.FromMinutes(10),
        };
        var lifetime = new RecordingLifetime();
        _uplinkState = new UplinkState(NullLogger<UplinkState>.Instance);
        var session = new FakeUplinkSession();
        var service = new SelfUpdateService(options, GatewayId, runningVersion, new OtaVerifier([_signer.PublicKey]), _server.Client(),
            _uplinkState, unhealthy ?? (() => null), lifetime, TimeProvider.System, NullLogger<SelfUpdateService>.Instance);
        await service.StartAsync(CancellationToken.None);
        await new OtaOfferDispatch(GatewayId, service, null, _uplinkState, NullLogger<OtaOfferDispatch>.Instance).StartAsync(CancellationToken.None);
        _running.Add(new Stopper(service, session));
        if (connect)
            await _uplinkState.ConnectedAsync(session, CancellationToken.None);
        return (service, session, lifetime);
    }

    private byte[] Offer(string version, byte[] payload, OtaSigningKey? signer = null, string? minimum = null)
    {
        var manifest = new OtaManifest("civicedge-gateway", ArtifactKind.Gateway, [Model], version, minimum, payload.Length,
            Convert.ToHexStringLower(SHA256.HashData(payload)), null, DateTimeOffset.UtcNow);
        var bytes = OtaPackageFormat.ManifestBytes(manifest);
        var path = _server.Put(manifest.ArtifactId, payload);
        var offer = new OtaOffer("camp-1", GatewayId, 1, manifest.ArtifactId, ArtifactKind.Gateway, version, payload.Length, manifest.Sha256,
            Convert.ToBase64String(bytes), (signer ?? _signer).Sign(bytes), path, DateTimeOffset.UtcNow.AddHours(1));
        return JsonSerializer.SerializeToUtf8Bytes(offer, OtaJson.Default.OtaOffer);
    }

    private static async Task<List<OtaStatusReport>> ReportsAsync(FakeUplinkSession session, int count)
    {
        var reports = new List<OtaStatusReport>();
        while (reports.Count < count)
        {
            var message = await session.NextMessageAsync(Topics.OtaStatus(GatewayId));
            reports.Add(JsonSerializer.Deserialize(message.Payload, OtaJson.Default.OtaStatusReport)!);
        }
        return reports;
    }

    private sealed class Stopper(SelfUpdateService service, FakeUplinkSession session) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await service.StopAsync(CancellationToken.None);
            service.Dispose();
            await session.DisposeAsync();
        }
    }
}
