using System.Security.Cryptography;
using System.Text.Json;
using CivicEdge.Fleet.Contracts.Ota;
using CivicEdge.Gateway.Ota;
using CivicEdge.Gateway.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace CivicEdge.Gateway.Tests.Ota;

[TestFixture]
[Category("Unit")]
[CancelAfter(30_000)]
public sealed class OtaPayloadCacheTests
{
    private readonly byte[] _payload = RandomNumberGenerator.GetBytes(700_000);
    private OtaSigningKey _signer = null!;
    private TempDirectory _directory = null!;

    [SetUp]
    public void Start()
    {
        _signer = OtaSigningKey.Generate();
        _directory = new TempDirectory();
    }

    [TearDown]
    public void Stop()
    {
        _signer.Dispose();
        _directory.Dispose();
    }

    [Test]
    public async Task A_signed_offer_is_downloaded_checked_and_reported_verified(CancellationToken ct)
    {
        var fleet = new RangeServingFleet(_payload);
        var reporter = new RecordingUpdateReporter();

        var image = await Cache(fleet).PrepareAsync(Offer(_payload, _signer), reporter, ct);

        Assert.That(image, Is.Not.Null, reporter.Last.Reason);
        Assert.That(image!.Version, Is.EqualTo("2.4.0"));
        Assert.That(image.Payload.ToArray(), Is.EqualTo(_payload));
        Assert.That(reporter.Phases[0], Is.EqualTo(OtaPhase.Downloading));
        Assert.That(reporter.Phases[^1], Is.EqualTo(OtaPhase.Verified));
    }

    [Test]
    public async Task A_download_that_breaks_off_resumes_with_a_range_from_the_bytes_kept(CancellationToken ct)
    {
        var fleet = new RangeServingFleet(_payload) { BreakAfter = 300_000 };
        var cache = Cache(fleet);
        var reporter = new RecordingUpdateReporter();

        var first = await cache.PrepareAsync(Offer(_payload, _signer), reporter, ct);
        Assert.That(first, Is.Null);
        Assert.That(reporter.Last.Reason, Does.Contain("broke off at byte 300000 of 700000"));

        var second = await cache.PrepareAsync(Offer(_payload, _signer), reporter, ct);

        Assert.That(second!.Payload.ToArray(), Is.EqualTo(_payload));
        Assert.That(fleet.Ranges[1]?.Ranges.Single().From, Is.EqualTo(300_000));
    }

    [Test]
    public async Task An_offer_signed_by_an_untrusted_key_fails_without_a_download(CancellationToken ct)
    {
        using var stranger = OtaSigningKey.Generate();
        var fleet = new RangeServingFleet(_payload);
        var reporter = new RecordingUpdateReporter();

        var image = await Cache(fleet).PrepareAsync(Offer(_payload, stranger), reporter, ct);

        Assert.That(image, Is.Null);
        Assert.That(reporter.Last.Phase, Is.EqualTo(OtaPhase.Failed));
        Assert.That(reporter.Last.Reason, Does.Contain("trusted key"));
        Assert.That(fleet.Ranges, Is.Empty);
    }

    [Test]
    public async Task A_payload_that_differs_from_the_signed_hash_fails_and_is_not_kept(CancellationToken ct)
    {
        var served = (byte[])_payload.Clone();
        served[123_456] ^= 1;
        var cache = Cache(new RangeServingFleet(served));
        var reporter = new RecordingUpdateReporter();

        var image = await cache.PrepareAsync(Offer(_payload, _signer), reporter, ct);

        Assert.That(image, Is.Null);
        Assert.That(reporter.Last.Reason, Does.Contain("SHA-256"));
        Assert.That(Directory.EnumerateFiles(_directory.Path), Is.Empty);
    }

    [Test]
    public async Task A_payload_verified_once_is_not_downloaded_again(CancellationToken ct)
    {
        var fleet = new RangeServingFleet(_payload);
        var cache = Cache(fleet);
        await cache.PrepareAsync(Offer(_payload, _signer), new RecordingUpdateReporter(), ct);

        var again = await cache.PrepareAsync(Offer(_payload, _signer) with { Target = "pole-0002" }, new RecordingUpdateReporter(), ct);

        Assert.That(again, Is.Not.Null);
        Assert.That(fleet.Ranges, Has.Count.EqualTo(1));
    }

    private OtaPayloadCache Cache(RangeServingFleet fleet) =>
        new(new HttpClient(fleet) { BaseAddress = new Uri("http://fleet.test/") }, _directory.Path, new OtaVerifier([_signer.PublicKey]), NullLogger<OtaPayloadCache>.Instance);

    private static OtaOffer Offer(byte[] payload, OtaSigningKey signer)
    {
        var sha = Convert.ToHexStringLower(SHA256.HashData(payload));
        var manifest = new OtaManifest("pole-controller", ArtifactKind.Firmware, ["SLC-1"], "2.4.0", null, payload.Length, sha, null, DateTimeOffset.UnixEpoch);
        var bytes = JsonSerializer.SerializeToUtf8Bytes(manifest, OtaJson.Default.OtaManifest);
        return new OtaOffer("campaign-1", "pole-0001", 1, manifest.ArtifactId, ArtifactKind.Firmware, "2.4.0", payload.Length, sha,
            Convert.ToBase64String(bytes), signer.Sign(bytes), "api/ota/artifacts/pole-controller@2.4.0/payload", DateTimeOffset.UnixEpoch.AddYears(100));
    }
}
