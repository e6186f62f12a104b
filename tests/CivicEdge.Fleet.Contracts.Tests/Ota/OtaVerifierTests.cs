using System.Security.Cryptography;
using System.Text;
using CivicEdge.Fleet.Contracts.Ota;

namespace CivicEdge.Fleet.Contracts.Tests.Ota;

[Category("Unit")]
public sealed class OtaVerifierTests
{
    private static readonly byte[] Payload = RandomNumberGenerator.GetBytes(4096);

    [Test]
    public void A_manifest_signed_by_a_trusted_key_is_valid()
    {
        using var key = OtaSigningKey.Generate();
        var header = HeaderOf(key, OtaTestArtifacts.ManifestFor(Payload));

        Assert.That(new OtaVerifier([key.PublicKey]).VerifyHeader(header), Is.EqualTo(OtaVerification.Valid));
    }

    [Test]
    public void A_manifest_changed_after_signing_is_refused_as_a_bad_signature()
    {
        using var key = OtaSigningKey.Generate();
        var header = HeaderOf(key, OtaTestArtifacts.ManifestFor(Payload));
        var tampered = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(header.ManifestBytes.Span).Replace("slc-210", "slc-999", StringComparison.Ordinal));

        var verdict = new OtaVerifier([key.PublicKey]).VerifyManifest(tampered, header.Manifest, header.Signature);

        Assert.That(verdict.Failure, Is.EqualTo(OtaVerificationFailure.BadSignature));
        Assert.That(verdict.Message, Does.Contain("changed after signing"));
    }

    [Test]
    public void A_manifest_signed_by_a_key_nobody_trusts_is_refused_naming_the_key_and_the_trusted_ones()
    {
        using var trusted = OtaSigningKey.Generate();
        using var stranger = OtaSigningKey.Generate();
        var header = HeaderOf(stranger, OtaTestArtifacts.ManifestFor(Payload));

        var verdict = new OtaVerifier([trusted.PublicKey]).VerifyHeader(header);

        Assert.That(verdict.Failure, Is.EqualTo(OtaVerificationFailure.UntrustedKey));
        Assert.That(verdict.Message, Does.Contain(stranger.PublicKey.KeyId).And.Contain(trusted.PublicKey.KeyId));
    }

    [Test]
    public void A_signature_from_another_algorithm_is_refused_naming_it()
    {
        using var key = OtaSigningKey.Generate();
        var header = HeaderOf(key, OtaTestArtifacts.ManifestFor(Payload));

        var verdict = new OtaVerifier([key.PublicKey]).VerifyManifest(header.ManifestBytes.Span, header.Manifest, header.Signature with { Algorithm = "RS256" });

        Assert.That(verdict.Failure, Is.EqualTo(OtaVerificationFailure.UnsupportedAlgorithm));
        Assert.That(verdict.Message, Does.Contain("'ES256'").And.Contain("'RS256'"));
    }

    [Test]
    public void A_signature_value_that_is_not_64_bytes_is_refused()
    {
        using var key = OtaSigningKey.Generate();
        var header = HeaderOf(key, OtaTestArtifacts.ManifestFor(Payload));

        var verdict = new OtaVerifier([key.PublicKey]).VerifyManifest(header.ManifestBytes.Span, header.Manifest, header.Signature with { Value = "AAAA" });

        Assert.That(verdict.Failure, Is.EqualTo(OtaVerificationFailure.BadSignature));
        Assert.That(verdict.Message, Does.Contain("64 bytes"));
    }

    [TestCase("version", "2.4", "'version'")]
    [TestCase("minimumVersion", "3.0.0", "no newer than 'version'")]
    [TestCase("sha256", "ABC", "64 lowercase hex digits")]
    [TestCase("product", "pole/controller", "'product'")]
    [TestCase("size", "0", "'size'")]
    [TestCase("hardwareModels", "", "'hardwareModels'")]
    public void A_signed_manifest_with_a_field_out_of_contract_is_refused_naming_the_field(string field, string value, string named)
    {
        var manifest = OtaTestArtifacts.ManifestFor(Payload);
        manifest = field switch
        {
            "version" => manifest with { Version = value },
            "minimumVersion" => manifest with { MinimumVersion = value },
            "sha256" => manifest with { Sha256 = value },
            "product" => manifest with { Product = value },
            "size" => manifest with { Size = long.Parse(value, System.Globalization.CultureInfo.InvariantCulture) },
            _ => manifest with { HardwareModels = [] },
        };
        using var key = OtaSigningKey.Generate();

        var verdict = new OtaVerifier([key.PublicKey]).VerifyHeader(HeaderOf(key, manifest));

        Assert.That(verdict.Failure, Is.EqualTo(OtaVerificationFailure.MalformedManifest));
        Assert.That(verdict.Message, Does.Contain(named));
    }

    [Test]
    public void A_payload_of_the_wrong_length_or_hash_is_refused_saying_both_values()
    {
        var manifest = OtaTestArtifacts.ManifestFor(Payload);
        using var digest = new OtaPayloadDigest();
        digest.Append(Payload.AsSpan(0, 100));
        digest.Append(Payload.AsSpan(100));
        var other = Convert.ToHexStringLower(SHA256.HashData("other"u8));

        Assert.That(OtaVerifier.CheckPayload(manifest, digest.Length, digest.Sha256()), Is.EqualTo(OtaVerification.Valid));
        var shorter = OtaVerifier.CheckPayload(manifest, Payload.Length - 1, digest.Sha256());
        Assert.That((shorter.Failure, shorter.Message), Is.EqualTo((OtaVerificationFailure.SizeMismatch, $"expected a payload of {Payload.Length} bytes as the manifest says, found {Payload.Length - 1}")));
        var changed = OtaVerifier.CheckPayload(manifest, Payload.Length, other);
        Assert.That(changed.Failure, Is.EqualTo(OtaVerificationFailure.HashMismatch));
        Assert.That(changed.Message, Does.Contain(manifest.Sha256).And.Contain(other));
    }

    [TestCase(ArtifactKind.Firmware, "SLC-200", "2.3.1", null)]
    [TestCase(ArtifactKind.Firmware, "slc-210", "2.0.0", null)]
    [TestCase(ArtifactKind.Firmware, "slc-210", "2.4.0-rc.2", null)]
    [TestCase(ArtifactKind.Gateway, "slc-200", "2.3.1", OtaVerificationFailure.WrongKind)]
    [TestCase(ArtifactKind.Firmware, "slc-300", "2.3.1", OtaVerificationFailure.WrongHardwareModel)]
    [TestCase(ArtifactKind.Firmware, "slc-200", "1.9.9", OtaVerificationFailure.BelowMinimumVersion)]
    [TestCase(ArtifactKind.Firmware, "slc-200", "2.4.0", OtaVerificationFailure.NotNewer)]
    [TestCase(ArtifactKind.Firmware, "slc-200", "2.10.0", OtaVerificationFailure.NotNewer)]
    public void An_artifact_fits_a_device_of_its_kind_and_model_running_at_least_the_minimum_and_an_older_version(
        ArtifactKind kind, string model, string running, OtaVerificationFailure? expected)
    {
        var verdict = OtaVerifier.CheckFit(OtaTestArtifacts.ManifestFor(Payload), kind, model, running);

        Assert.That(verdict.Failure, Is.EqualTo(expected), verdict.ToString());
        if (expected is not null)
            Assert.That(verdict.Message, Does.StartWith("expected").And.Contain("found"));
    }

    private static OtaPackageHeader HeaderOf(OtaSigningKey key, OtaManifest manifest) =>
        OtaPackageFormat.ReadHeader(OtaTestArtifacts.Package(key, manifest, Payload)).Header!;
}
