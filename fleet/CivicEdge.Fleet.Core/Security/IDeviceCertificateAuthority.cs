using System.Security.Cryptography.X509Certificates;

namespace CivicEdge.Fleet.Core.Security;

/// <summary>The fleet's certificate authority as the ledger uses it: issue device certificates and recognise them.</summary>
public interface IDeviceCertificateAuthority
{
    /// <summary>The CA certificate in PEM, for devices' trust stores.</summary>
    string CertificatePem { get; }

    /// <summary>
    /// Issues a TLS client certificate whose common name is <paramref name="deviceCode"/>: for the public key of
    /// <paramref name="signingRequestPem"/> (PKCS#10, its signature checked) or, without one, for a new ECDSA P-256 key.
    /// </summary>
    /// <exception cref="CertificateRequestException">The signing request is unreadable, badly signed or has a weak key.</exception>
    DeviceCertificate IssueDeviceCertificate(string deviceCode, string? signingRequestPem, DateTimeOffset notBefore, DateTimeOffset notAfter);

    /// <summary>
    /// True when <paramref name="certificate"/> was issued by this CA for TLS client authentication and is valid at
    /// <paramref name="at"/>; otherwise false with the reason.
    /// </summary>
    bool Recognises(X509Certificate2 certificate, DateTimeOffset at, out string reason);
}
