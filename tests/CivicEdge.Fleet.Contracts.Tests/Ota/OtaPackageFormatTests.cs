using System.Text;
using CivicEdge.Fleet.Contracts.Ota;

namespace CivicEdge.Fleet.Contracts.Tests.Ota;

[Category("Unit")]
public sealed class OtaPackageFormatTests
{
    private static readonly byte[] Payload = Encoding.ASCII.GetBytes("\n\nfirmware image with line feeds\n");

    [Test]
    public void A_package_is_the_magic_line_the_manifest_line_the_signature_line_and_the_payload()
    {
        using var key = OtaSigningKey.Generate();
        var package = OtaTestArtifacts.Package(key, OtaTestArtifacts.ManifestFor(Payload), Payload);

        var lines = Encoding.UTF8.GetString(package).Split('\n');

        Assert.That(lines[0], Is.EqualTo("civicedge-ota/1"));
        Assert.That(lines[1], Is.EqualTo(
            $$"""{"product":"pole-controller","kind":"firmware","hardwareModels":["slc-200","slc-210"],"version":"2.4.0","minimumVersion":"2.0.0","size":{{Payload.Length}},"sha256":"{{OtaTestArtifacts.ManifestFor(Payload).Sha256}}","releaseNotes":"Dims to 10 % without flicker.","created":"2026-11-28T22:00:00+00:00"}"""));
        Assert.That(lines[2], Does.StartWith($$"""{"keyId":"{{key.PublicKey.KeyId}}","algorithm":"ES256","value":"""));
        Assert.That(package[^Payload.Length..], Is.EqualTo(Payload), "the payload is the last 'size' bytes, as `tail -c SIZE` cuts it");
    }

    [Test]
    public void Reading_the_head_gives_back_the_signed_bytes_manifest_signature_and_where_the_payload_starts()
    {
        using var key = OtaSigningKey.Generate();
        var manifest = OtaTestArtifacts.ManifestFor(Payload);
        var package = OtaTestArtifacts.Package(key, manifest, Payload);

        var read = OtaPackageFormat.ReadHeader(package);

        Assert.That(read.Status, Is.EqualTo(OtaPackageReadStatus.Complete));
        Assert.That(read.Header!.Manifest with { HardwareModels = manifest.HardwareModels }, Is.EqualTo(manifest));
        Assert.That(read.Header.Manifest.HardwareModels, Is.EqualTo(manifest.HardwareModels));
        Assert.That(read.Header.ManifestBytes.ToArray(), Is.EqualTo(OtaPackageFormat.ManifestBytes(manifest)));
        Assert.That(package[read.Header.Length..], Is.EqualTo(Payload));
        Assert.That(new OtaVerifier([key.PublicKey]).VerifyHeader(read.Header).IsValid, Is.True);
    }

    [Test]
    public void A_head_cut_short_anywhere_needs_more_data_and_is_never_malformed()
    {
        using var key = OtaSigningKey.Generate();
        var package = OtaTestArtifacts.Package(key, OtaTestArtifacts.ManifestFor(Payload), Payload);
        var headLength = OtaPackageFormat.ReadHeader(package).Header!.Length;

        for (var cut = 0; cut < headLength; cut++)
            Assert.That(OtaPackageFormat.ReadHeader(package.AsSpan(0, cut)).Status, Is.EqualTo(OtaPackageReadStatus.NeedMoreData), $"cut at {cut}");
    }

    [Test]
    public void A_file_that_is_not_a_package_is_malformed_at_offset_zero_showing_what_it_starts_with()
    {
        var read = OtaPackageFormat.ReadHeader("PK\u0003\u0004 a zip file"u8);

        Assert.That((read.Status, read.Offset), Is.EqualTo((OtaPackageReadStatus.Malformed, 0)));
        Assert.That(read.Reason, Does.Contain("civicedge-ota/1").And.Contain("PK"));
    }

    [Test]
    public void A_manifest_line_missing_a_field_is_malformed_at_line_two()
    {
        var bytes = Encoding.UTF8.GetBytes("civicedge-ota/1\n{\"product\":\"x\"}\n{\"keyId\":\"k\",\"algorithm\":\"ES256\",\"value\":\"AA==\"}\n");

        var read = OtaPackageFormat.ReadHeader(bytes);

        Assert.That(read.Status, Is.EqualTo(OtaPackageReadStatus.Malformed));
        Assert.That(read.Reason, Does.Contain("line 2"));
        Assert.That(read.Offset, Is.GreaterThanOrEqualTo("civicedge-ota/1\n".Length));
    }

    [Test]
    public void A_head_without_line_ends_in_its_first_64_KiB_is_malformed_rather_than_buffered_for_ever()
    {
        var bytes = Encoding.ASCII.GetBytes("civicedge-ota/1\n" + new string('x', OtaPackageFormat.MaxHeaderLength));

        var read = OtaPackageFormat.ReadHeader(bytes);

        Assert.That(read.Status, Is.EqualTo(OtaPackageReadStatus.Malformed));
        Assert.That(read.Reason, Does.Contain("65536"));
    }
}
