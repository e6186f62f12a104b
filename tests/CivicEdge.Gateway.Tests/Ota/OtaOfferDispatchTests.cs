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
public sealed class OtaOfferDispatchTests
{
    private const string GatewayId = "gw-0001";

    [Test]
    public async Task An_offer_for_a_device_behind_the_gateway_goes_to_the_relay_which_answers_on_the_status_topic(CancellationToken ct)
    {
        using var directory = new TempDirectory();
        using var signer = OtaSigningKey.Generate();
        var uplink = new UplinkState(NullLogger<UplinkState>.Instance);
        var sink = new DurableOtaStatusSink(GatewayId, directory.File("owed"), uplink, NullLogger<DurableOtaStatusSink>.Instance);
        await using var relay = new FieldUpdateRelay(new NoDevices(),
            new OtaPayloadCache(new HttpClient(new RangeServingFleet([1])) { BaseAddress = new Uri("http://fleet.test/") }, directory.File("payloads"), new OtaVerifier([signer.PublicKey]), NullLogger<OtaPayloadCache>.Instance),
            sink, directory.File("numbers"), new FieldUpdateOptions(), TimeProvider.System, NullLoggerFactory.Instance);
        await new OtaOfferDispatch(GatewayId, null, relay, uplink, NullLogger<OtaOfferDispatch>.Instance).StartAsync(ct);
        var session = new FakeUplinkSession();
        await uplink.ConnectedAsync(session, ct);

        Assert.That(session.Subscriptions, Is.EqualTo(new[] { Topics.Ota(GatewayId) }));
        await session.DeliverAsync(Topics.Ota(GatewayId), Offer("pole-0404"));

        var (_, payload, _) = await session.NextMessageAsync(Topics.OtaStatus(GatewayId));
        var report = JsonSerializer.Deserialize(payload, OtaJson.Default.OtaStatusReport)!;
        Assert.That((report.Target, report.Sequence, report.Phase), Is.EqualTo(("pole-0404", 1L, OtaPhase.Failed)));
        Assert.That(report.Reason, Does.Contain("no devices here"));
    }

    [Test]
    public async Task Without_self_update_or_device_update_the_gateway_does_not_subscribe_to_offers(CancellationToken ct)
    {
        var uplink = new UplinkState(NullLogger<UplinkState>.Instance);
        await new OtaOfferDispatch(GatewayId, null, null, uplink, NullLogger<OtaOfferDispatch>.Instance).StartAsync(ct);
        var session = new FakeUplinkSession();

        await uplink.ConnectedAsync(session, ct);

        Assert.That(session.Subscriptions, Is.Empty);
    }

    private static byte[] Offer(string target) =>
        JsonSerializer.SerializeToUtf8Bytes(
            new OtaOffer("campaign-1", target, 1, "pole-controller@1.1.0", ArtifactKind.Firmware, "1.1.0", 1, new string('0', 64), "", new OtaSignature("k", OtaSignature.Es256, "s"),
                "api/ota/artifacts/pole-controller@1.1.0/payload", DateTimeOffset.UtcNow.AddHours(1)),
            OtaJson.Default.OtaOffer);

    private sealed class NoDevices : IFieldUpdateTargets
    {
        public FieldUpdateTargetLookup Find(string deviceId) => FieldUpdateTargetLookup.Refused($"no devices here, not even '{deviceId}'");
    }
}
