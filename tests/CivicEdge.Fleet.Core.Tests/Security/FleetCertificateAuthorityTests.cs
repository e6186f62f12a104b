using System.Security.Cryptography.X509Certificates;
using CivicEdge.Fleet.Core.Security;

namespace CivicEdge.Fleet.Core.Tests.Security;

[Category("Unit")]
public sealed class FleetCertificateAuthorityTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 10, 0, 0, TimeSpan.Zero);

    [Test]
    public void The_ca_reads_back_from_its_pem_texts_and_still_recognises_what_it_issued()
    {
        using var original = FleetCertificateAuthority.Create("test CA", Now, TimeSpan.FromDays(3650));
        var issued = original.IssueDeviceCertificate("gw-1", null, Now, Now.AddDays(730));

        using var restored = FleetCertificateAuthority.FromPem(original.CertificatePem, original.ExportPrivateKeyPem());
        using var certificate = X509Certificate2.CreateFromPem(issued.CertificatePem);

        Assert.That(restored.Recognises(certificate, Now.AddDays(1), out var reason), Is.True, reason);
        Assert.That(restored.Recognises(certificate, Now.AddDays(731), out var expired), Is.False, "expired");
        Assert.That(expired, Does.Contain("not a client certificate of the fleet CA valid at"));
    }

    [Test]
    public void A_key_of_another_ca_is_refused_when_reading_the_pem_texts()
    {
        using var one = FleetCertificateAuthority.Create("one", Now, TimeSpan.FromDays(10));
        using var two = FleetCertificateAuthority.Create("two", Now, TimeSpan.FromDays(10));

        Assert.Throws<System.Security.Cryptography.CryptographicException>(() => FleetCertificateAuthority.FromPem(one.CertificatePem, two.ExportPrivateKeyPem()));
    }

    [Test]
    public void A_device_certificate_is_for_client_authentication_only_and_names_the_device()
    {
        using var authority = FleetCertificateAuthority.Create("test CA", Now, TimeSpan.FromDays(3650));
        var issued = authority.IssueDeviceCertificate("410102GW00000001X", null, Now, Now.AddDays(730));
        using var certificate = X509Certificate2.CreateFromPem(issued.CertificatePem);

        var usage = certificate.Extensions.OfType<X509EnhancedKeyUsageExtension>().Single().EnhancedKeyUsages;
        Assert.That(usage.Cast<System.Security.Cryptography.Oid>().Select(oid => oid.Value), Is.EqualTo(new[] { "1.3.6.1.5.5.7.3.2" }));
        Assert.That(certificate.Extensions.OfType<X509BasicConstraintsExtension>().Single().CertificateAuthority, Is.False);
        Assert.That(certificate.GetNameInfo(X509NameType.SimpleName, false), Is.EqualTo("410102GW00000001X"));
        Assert.That(issued.Thumbprint, Is.EqualTo(Convert.ToHexString(certificate.GetCertHash(System.Security.Cryptography.HashAlgorithmName.SHA256))));
    }

    [Test]
    public void A_server_certificate_carries_every_name_and_address_and_is_not_a_client_certificate()
    {
        using var authority = FleetCertificateAuthority.Create("test CA", Now, TimeSpan.FromDays(3650));
        var (pem, key) = authority.IssueServerCertificate(["fleet.city.example", "127.0.0.1"], Now, Now.AddDays(397));
        using var certificate = X509Certificate2.CreateFromPem(pem, key);

        var names = certificate.Extensions.OfType<X509SubjectAlternativeNameExtension>().Single();
        Assert.That(names.EnumerateDnsNames(), Is.EqualTo(new[] { "fleet.city.example" }));
        Assert.That(names.EnumerateIPAddresses().Select(address => address.ToString()), Is.EqualTo(new[] { "127.0.0.1" }));
        Assert.That(authority.Recognises(certificate, Now.AddDays(1), out _), Is.False, "a server certificate cannot log a device in");
    }
}
