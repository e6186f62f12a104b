using System.Text.Json;
using CivicEdge.Fleet.Contracts.Ota;

namespace CivicEdge.Fleet.Contracts.Tests.Ota;

/// <summary>OTA offers and status reports, pinned on the wire.</summary>
[Category("Unit")]
public sealed class OtaWireFormatTests
{
    private static readonly DateTimeOffset At = new(2026, 11, 28, 23, 0, 0, TimeSpan.Zero);

    [Test]
    public void An_offer_carries_the_signed_manifest_and_where_to_fetch_the_payload()
    {
        var offer = new OtaOffer("c-01", "slc-0001", 1, "pole-controller@2.4.0", ArtifactKind.Firmware, "2.4.0", 1024, new string('a', 64),
            "eyJwIjoxfQ==", new OtaSignature("k1", "ES256", "c2ln"), "api/ota/artifacts/pole-controller@2.4.0/payload", At);

        var json = JsonSerializer.Serialize(offer, OtaJson.Default.OtaOffer);

        Assert.That(json, Is.EqualTo(
            $$"""{"campaignId":"c-01","target":"slc-0001","attempt":1,"artifactId":"pole-controller@2.4.0","kind":"firmware","version":"2.4.0","size":1024,"sha256":"{{new string('a', 64)}}","manifest":"eyJwIjoxfQ==","signature":{"keyId":"k1","algorithm":"ES256","value":"c2ln"},"downloadPath":"api/ota/artifacts/pole-controller@2.4.0/payload","deadline":"2026-11-28T23:00:00+00:00"}"""));
        Assert.That(JsonSerializer.Deserialize(json, OtaJson.Default.OtaOffer)!.Manifest, Is.EqualTo(offer.Manifest));
    }

    [Test]
    public void A_status_report_names_its_phase_in_camel_case_and_its_number_within_the_offer()
    {
        var report = new OtaStatusReport("c-01", "slc-0001", 2, 7, OtaPhase.RolledBack, null, "2.3.1", "lamp driver did not answer", At);

        var json = JsonSerializer.Serialize(report, OtaJson.Default.OtaStatusReport);

        Assert.That(json, Is.EqualTo(
            """{"campaignId":"c-01","target":"slc-0001","attempt":2,"sequence":7,"phase":"rolledBack","bytesReceived":null,"runningVersion":"2.3.1","reason":"lamp driver did not answer","at":"2026-11-28T23:00:00+00:00"}"""));
        Assert.That(JsonSerializer.Deserialize(json, OtaJson.Default.OtaStatusReport)!.IsFinal, Is.True);
    }

    [Test]
    public void A_campaign_gives_the_images_size_beside_each_devices_bytes_so_a_reader_can_show_progress()
    {
        var campaign = new OtaCampaign("c-01", "pole-controller@2.4.0", "2.4.0", "running", null, 1, null, "ops", At,
            [new OtaCampaignWave(1, "100%", 1, 0, 1, 0, 0)], [new OtaCampaignDevice("slc-0001", "gw-01", 1, "installing", 1, "2.3.1", null, 12_288, null)])
        {
            Size = 24_576,
        };

        var json = JsonSerializer.Serialize(campaign, OtaJson.Default.OtaCampaign);
        var read = JsonSerializer.Deserialize(json, OtaJson.Default.OtaCampaign)!;

        Assert.That(json, Does.EndWith("\"size\":24576}").And.Contain("\"bytesReceived\":12288"));
        Assert.That((read.Size, read.Devices![0].BytesReceived), Is.EqualTo(((long?)24_576, (long?)12_288)));
    }

    [Test]
    public void A_status_report_missing_its_sequence_is_refused_rather_than_read_as_zero()
    {
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize(
            """{"campaignId":"c","target":"t","attempt":1,"phase":"confirmed","bytesReceived":null,"runningVersion":"2.4.0","reason":null,"at":"2026-11-28T23:00:00+00:00"}""",
            OtaJson.Default.OtaStatusReport));
    }

    [Test]
    public void Offers_and_status_reports_sit_under_the_gateways_code()
    {
        Assert.That((Topics.Ota("gw-01"), Topics.OtaStatus("gw-01"), Topics.AllOtaStatus), Is.EqualTo(("civic/v1/gw-01/ota", "civic/v1/gw-01/ota-status", "civic/v1/+/ota-status")));
        Assert.That(Topics.TryParse("civic/v1/gw-01/ota-status", out var source, out var kind) && source == "gw-01" && kind == "ota-status", Is.True);
    }
}
