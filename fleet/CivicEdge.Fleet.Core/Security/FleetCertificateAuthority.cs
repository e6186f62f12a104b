using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace CivicEdge.Fleet.Core.Security;

/// <summary>
/// The fleet's own certificate authority: an ECDSA P-256 key and a self-signed CA certificate (RFC 5280 §4.2.1.9, path
/// length 0), which signs device client certificates (common name = device code) and the embedded broker's server
/// certificate. Pure: whoever owns it keeps its PEM texts (the fleet server writes them to its security folder).
/// </summary>
public sealed class FleetCertificateAuthority : IDeviceCertificateAuthority, IDisposable
{
    private const string RsaOid = "1.2.840.113549.1.1.1";
    private const string EcOid = "1.2.840.10045.2.1";

    private static readonly Oid ClientAuthentication = new("1.3.6.1.5.5.7.3.2", "TLS Web Client Authentication");
    private static readonly Oid ServerAuthentication = new("1.3.6.1.5.5.7.3.1", "TLS Web Server Authentication");

    private readonly ECDsa _key;

    private FleetCertificateAuthority(X509Certificate2 certificate, ECDsa key)
    {
        Certificate = certificate;
        _key = key;
        CertificatePem = certificate.ExportCertificatePem();
    }

    /// <summary>The CA certificate (public part only).</summary>
    public X509Certificate2 Certificate { get; }

    public string CertificatePem { get; }

    /// <summary>The CA's private key in PKCS#8 PEM, for its owner to keep.</summary>
    public string ExportPrivateKeyPem() => _key.ExportPkcs8PrivateKeyPem();

    /// <summary>A new CA named <paramref name="name"/>, valid from <paramref name="now"/> for <paramref name="validity"/>.</summary>
    public static FleetCertificateAuthority Create(string name, DateTimeOffset now, TimeSpan validity)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var subject = new X500DistinguishedNameBuilder();
        subject.AddOrganizationName("CivicEdge");
        subject.AddCommonName(name);
        var request = new CertificateRequest(subject.Build(), key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        using var selfSigned = request.CreateSelfSigned(now.AddMinutes(-5), now + validity);
        return new FleetCertificateAuthority(X509CertificateLoader.LoadCertificate(selfSigned.RawData), key);
    }

    /// <summary>The CA kept as PEM texts.</summary>
    /// <exception cref="CryptographicException">The texts are not a certificate and its ECDSA key, or do not belong together.</exception>
    public static FleetCertificateAuthority FromPem(string certificatePem, string privateKeyPem)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(certificatePem);
        ArgumentException.ThrowIfNullOrWhiteSpace(privateKeyPem);
        var certificate = X509Certificate2.CreateFromPem(certificatePem);
        var key = ECDsa.Create();
        try
        {
            key.ImportFromPem(privateKeyPem);
            using var publicKey = certificate.GetECDsaPublicKey()
                ?? throw new CryptographicException("The CA certificate does not hold an ECDSA public key.");
            if (!publicKey.ExportSubjectPublicKeyInfo().AsSpan().SequenceEqual(key.ExportSubjectPublicKeyInfo()))
                throw new CryptographicException("The CA key does not belong to the CA certificate.");
            return new FleetCertificateAuthority(certificate, key);
        }
        catch
        {
            key.Dispose();
            certificate.Dispose();
            throw;
        }
    }

    public DeviceCertificate IssueDeviceCertificate(string deviceCode, string? signingRequestPem, DateTimeOffset notBefore, DateTimeOffset notAfter)
    {
        ArgumentException.ThrowIfNullOrEmpty(deviceCode);
        var subject = new X500DistinguishedNameBuilder();
        subject.AddCommonName(deviceCode);
        if (signingRequestPem is null)
        {
            using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var generated = new CertificateRequest(subject.Build(), key, HashAlgorithmName.SHA256);
            return Sign(generated, ClientAuthentication, X509KeyUsageFlags.DigitalSignature, notBefore, notAfter, key.ExportPkcs8PrivateKeyPem());
        }

        var publicKey = ReadSigningRequest(signingRequestPem);
        var usage = publicKey.Oid.Value == RsaOid ? X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment : X509KeyUsageFlags.DigitalSignature;
        var request = new CertificateRequest(subject.Build(), publicKey, HashAlgorithmName.SHA256);
        return Sign(request, ClientAuthentication, usage, notBefore, notAfter, privateKeyPem: null);
    }

    /// <summary>A TLS server certificate for the broker, naming every host name and IP address clients connect to.</summary>
    /// <returns>The certificate and its new private key, in PEM.</returns>
    public (string CertificatePem, string PrivateKeyPem) IssueServerCertificate(IReadOnlyList<string> names, DateTimeOffset notBefore, DateTimeOffset notAfter)
    {
        ArgumentNullException.ThrowIfNull(names);
        if (names.Count == 0)
            throw new ArgumentException("A server certificate needs at least one host name or address.", nameof(names));

        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var subject = new X500DistinguishedNameBuilder();
        subject.AddCommonName(names[0]);
        var request = new CertificateRequest(subject.Build(), key, HashAlgorithmName.SHA256);
        var alternativeNames = new SubjectAlternativeNameBuilder();
        foreach (var name in names)
        {
            if (IPAddress.TryParse(name, out var address))
                alternativeNames.AddIpAddress(address);
            else
                alternativeNames.AddDnsName(name);
        }

        request.CertificateExtensions.Add(alternativeNames.Build());
        var issued = Sign(request, ServerAuthentication, X509KeyUsageFlags.DigitalSignature, notBefore, notAfter, key.ExportPkcs8PrivateKeyPem());
        return (issued.CertificatePem, issued.PrivateKeyPem!);
    }

    public bool Recognises(X509Certificate2 certificate, DateTimeOffset at, out string reason)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(Certificate);
        // Revocation is the ledger's: the broker looks the certificate up among the device's credentials.
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.ApplicationPolicy.Add(ClientAuthentication);
        chain.ChainPolicy.VerificationTime = at.UtcDateTime;
        chain.ChainPolicy.VerificationTimeIgnored = false;
        if (chain.Build(certificate) && chain.ChainElements[^1].Certificate.RawDataMemory.Span.SequenceEqual(Certificate.RawDataMemory.Span))
        {
            reason = string.Empty;
            return true;
        }

        var problems = chain.ChainStatus.Select(status => status.StatusInformation.Trim()).Where(text => text.Length > 0).Distinct();
        reason = $"the certificate '{certificate.Subject}' is not a client certificate of the fleet CA valid at {at:O} ({string.Join("; ", problems)})";
        return false;
    }

    public void Dispose()
    {
        _key.Dispose();
        Certificate.Dispose();
    }

    private static PublicKey ReadSigningRequest(string pem)
    {
        CertificateRequest request;
        try
        {
            // The signature proves the requester holds the private key of the public key it asks a certificate for.
            request = CertificateRequest.LoadSigningRequestPem(pem, HashAlgorithmName.SHA256, CertificateRequestLoadOptions.Default);
        }
        catch (Exception exception) when (exception is CryptographicException or ArgumentException)
        {
            throw new CertificateRequestException(
                $"expected a PKCS#10 certificate signing request in PEM (-----BEGIN CERTIFICATE REQUEST-----) signed by its key, found one that cannot be read or verified: {exception.Message}",
                exception);
        }

        var key = request.PublicKey;
        if (key.Oid.Value == EcOid)
        {
            using var ec = key.GetECDsaPublicKey();
            var curve = ec?.ExportParameters(false).Curve.Oid.FriendlyName;
            if (curve is not ("nistP256" or "nistP384" or "ECDSA_P256" or "ECDSA_P384"))
                throw new CertificateRequestException($"expected an ECDSA key on P-256 or P-384, found curve {curve ?? "unknown"}");
            return key;
        }

        if (key.Oid.Value == RsaOid)
        {
            using var rsa = key.GetRSAPublicKey();
            if (rsa is null || rsa.KeySize < 2048)
                throw new CertificateRequestException($"expected an RSA key of at least 2048 bits, found {rsa?.KeySize ?? 0} bits");
            return key;
        }

        throw new CertificateRequestException($"expected an ECDSA (P-256, P-384) or RSA (2048 bits or more) key, found algorithm {key.Oid.FriendlyName ?? key.Oid.Value}");
    }

    private DeviceCertificate Sign(
        CertificateRequest request, Oid purpose, X509KeyUsageFlags usage, DateTimeOffset notBefore, DateTimeOffset notAfter, string? privateKeyPem)
    {
        var validUntil = notAfter < Certificate.NotAfter ? notAfter : new DateTimeOffset(Certificate.NotAfter.ToUniversalTime());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(usage, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([purpose], false));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(Certificate, true, false));

        // RFC 5280 §4.1.2.2: positive, at most 20 octets; 16 random bytes with the top bit cleared.
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7F;
        using var certificate = request.Create(
            Certificate.SubjectName, X509SignatureGenerator.CreateForECDsa(_key), notBefore.AddMinutes(-5), validUntil, serial);
        return new DeviceCertificate(
            certificate.ExportCertificatePem(),
            privateKeyPem,
            Convert.ToHexString(certificate.GetCertHash(HashAlgorithmName.SHA256)),
            validUntil);
    }
}
