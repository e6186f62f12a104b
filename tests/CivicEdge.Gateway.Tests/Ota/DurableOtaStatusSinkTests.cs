using System.Text.Json;
using CivicEdge.Fleet.Contracts;
using CivicEdge.Fleet.Contracts.Ota;
using CivicEdge.Gateway.Ota;
using CivicEdge.Gateway.Tests.Support;
using CivicEdge.Gateway.Uplink;
using Microsoft.Extensions.Logging.Abstractions;

namespace CivicEdge.Gateway.Tests.Ota;

[Category("Unit")]
[CancelAfter(20_000)]
public sealed class DurableOtaStatusSinkTests
{
    private const string GatewayId = "gw-0001";

    private TempDirectory _directory = null!;

    [SetUp]
    public void Start() => _directory = new TempDirectory();

    [TearDown]
    public void Stop() => _directory.Dispose();

    [Test]
    public async Task A_report_made_while_the_uplink_is_down_is_owed_and_published_on_the_next_connection(CancellationToken ct)
    {
        var uplink = new UplinkState(NullLogger<UplinkState>.Instance);
        var sink = Sink(uplink);

        await sink.SendAsync(Report(1, OtaPhase.Downloading), ct);
        Assert.That(sink.Owed().Select(r => r.Sequence), Is.EqualTo(new[] { 1L }));

        var session = new FakeUplinkSession();
        await uplink.ConnectedAsync(session, ct);

        var sent = await NextReportAsync(session);
        Assert.That(sent.Sequence, Is.EqualTo(1));
        Assert.That(sink.Owed(), Is.Empty);
    }

    [Test]
    public async Task A_report_owed_when_the_gateway_stops_is_sent_after_the_restart(CancellationToken ct)
    {
        await Sink(new UplinkState(NullLogger<UplinkState>.Instance)).SendAsync(Report(3, OtaPhase.Staged), ct);

        var uplink = new UplinkState(NullLogger<UplinkState>.Instance);
        var restarted = Sink(uplink);
        var session = new FakeUplinkSession();
        await uplink.ConnectedAsync(session, ct);

        var sent = await NextReportAsync(session);
        Assert.That((sent.Sequence, sent.Phase), Is.EqualTo((3L, OtaPhase.Staged)));
        Assert.That(restarted.Owed(), Is.Empty);
    }

    [Test]
    public async Task Only_the_latest_report_of_an_offer_stays_owed_and_a_straggler_does_not_replace_it(CancellationToken ct)
    {
        var sink = Sink(new UplinkState(NullLogger<UplinkState>.Instance));

        await sink.SendAsync(Report(1, OtaPhase.Downloading), ct);
        await sink.SendAsync(Report(3, OtaPhase.Staged), ct);
        await sink.SendAsync(Report(2, OtaPhase.Verified), ct);

        Assert.That(sink.Owed().Select(r => (r.Sequence, r.Phase)), Is.EqualTo(new[] { (3L, OtaPhase.Staged) }));
    }

    [Test]
    public async Task A_report_made_while_connected_is_published_at_once_and_not_left_owed(CancellationToken ct)
    {
        var uplink = new UplinkState(NullLogger<UplinkState>.Instance);
        var session = new FakeUplinkSession();
        await uplink.ConnectedAsync(session, ct);
        var sink = Sink(uplink);

        await sink.SendAsync(Report(1, OtaPhase.Failed), ct);

        Assert.That((await NextReportAsync(session)).Phase, Is.EqualTo(OtaPhase.Failed));
        Assert.That(sink.Owed(), Is.Empty);
    }

    private DurableOtaStatusSink Sink(UplinkState uplink) =>
        new(GatewayId, _directory.File("owed"), uplink, NullLogger<DurableOtaStatusSink>.Instance);

    private static OtaStatusReport Report(long sequence, OtaPhase phase) =>
        new("campaign-1", "pole-0001", 1, sequence, phase, null, null, phase == OtaPhase.Failed ? "why" : null, DateTimeOffset.UnixEpoch.AddSeconds(sequence));

    private static async Task<OtaStatusReport> NextReportAsync(FakeUplinkSession session)
    {
        var (_, payload, _) = await session.NextMessageAsync(Topics.OtaStatus(GatewayId));
        return JsonSerializer.Deserialize(payload, OtaJson.Default.OtaStatusReport)!;
    }
}
