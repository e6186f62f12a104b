namespace CivicEdge.Fleet.Core.Security;

/// <summary>A device certificate as issued by the fleet CA.</summary>
/// <param name="CertificatePem">The certificate.</param>
/// <param name="PrivateKeyPem">The key the fleet generated (PKCS#8), or null when the device sent a signing request.</param>
/// <param name="Thumbprint">SHA-256 of the certificate, upper-case hex.</param>
/// <param name="NotAfter">When it expires.</param>
public sealed record DeviceCertificate(string CertificatePem, string? PrivateKeyPem, string Thumbprint, DateTimeOffset NotAfter);
