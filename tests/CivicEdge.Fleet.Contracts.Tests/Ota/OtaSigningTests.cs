using System.Security.Cryptography;
using System.Text;
using CivicEdge.Fleet.Contracts.Ota;

namespace CivicEdge.Fleet.Contracts.Tests.Ota;

[Category("Unit")]
public sealed class OtaSigningTests
{
    [Test]
    public void The_key_id_is_the_sha256_of_the_public_keys_der_as_written_in_its_pem()
    {
        using var key = OtaSigningKey.Generate();
        var pem = key.PublicKey.Pem;

        var der = Convert.FromBase64String(string.Concat(pem.Split('\n').Where(l => !l.StartsWith("-----", StringComparison.Ordinal))));

        Assert.That(key.PublicKey.KeyId, Is.EqualTo(Convert.ToHexStringLower(SHA256.HashData(der))));
        Assert.That(pem, Does.StartWith("-----BEGIN PUBLIC KEY-----"));
    }

    [Test]
    public void A_private_key_written_as_pem_reads_back_as_the_same_signer()
    {
        using var key = OtaSigningKey.Generate();
        using var again = OtaSigningKey.FromPem(key.ExportPrivateKeyPem());

        var signature = again.Sign("manifest"u8);

        Assert.That(again.PublicKey.KeyId, Is.EqualTo(key.PublicKey.KeyId));
        Assert.That(key.PublicKey.Verify("manifest"u8, Convert.FromBase64String(signature.Value)), Is.True);
        Assert.That((signature.Algorithm, Convert.FromBase64String(signature.Value).Length), Is.EqualTo(("ES256", 64)));
    }

    [Test]
    public void A_key_on_another_curve_is_refused_naming_the_curve()
    {
        using var p384 = ECDsa.Create(ECCurve.NamedCurves.nistP384);

        var error = Assert.Throws<FormatException>(() => OtaPublicKey.FromPem(p384.ExportSubjectPublicKeyInfoPem()))!;

        Assert.That(error.Message, Does.Contain("P-256").And.Contain("P384"));
    }

    [Test]
    public void A_public_key_is_refused_where_a_private_key_is_needed()
    {
        using var key = OtaSigningKey.Generate();

        var error = Assert.Throws<FormatException>(() => OtaSigningKey.FromPem(key.PublicKey.Pem))!;

        Assert.That(error.Message, Does.Contain("PRIVATE KEY"));
    }

    [Test]
    public void Text_that_is_no_pem_is_refused_saying_what_was_expected()
    {
        var error = Assert.Throws<FormatException>(() => OtaPublicKey.FromPem("not a key"))!;

        Assert.That(error.Message, Does.StartWith("expected a PEM 'PUBLIC KEY' block"));
    }

    [Test]
    public void The_private_key_pem_signs_under_openssl_and_verifies_with_the_public_key_pem()
    {
        // A release pipeline may hold the key in an HSM or sign with nothing but openssl: the PEM files must interoperate.
        if (!File.Exists("/usr/bin/openssl"))
            Assert.Ignore("openssl is not installed");
        using var key = OtaSigningKey.Generate();
        var dir = Directory.CreateTempSubdirectory("cota-openssl-");
        try
        {
            File.WriteAllText(Path.Combine(dir.FullName, "key.pem"), key.ExportPrivateKeyPem());
            File.WriteAllBytes(Path.Combine(dir.FullName, "manifest"), Encoding.UTF8.GetBytes("""{"product":"x"}"""));
            using var openssl = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("/usr/bin/openssl", ["dgst", "-sha256", "-sign", "key.pem", "-out", "sig.der", "manifest"]) { WorkingDirectory = dir.FullName })!;
            openssl.WaitForExit();
            Assert.That(openssl.ExitCode, Is.Zero);

            using var ecdsa = ECDsa.Create();
            ecdsa.ImportFromPem(key.PublicKey.Pem);
            var der = File.ReadAllBytes(Path.Combine(dir.FullName, "sig.der"));

            Assert.That(ecdsa.VerifyData(File.ReadAllBytes(Path.Combine(dir.FullName, "manifest")), der, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence), Is.True);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }
}
