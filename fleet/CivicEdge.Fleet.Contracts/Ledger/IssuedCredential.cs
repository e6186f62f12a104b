namespace CivicEdge.Fleet.Contracts.Ledger;

/// <summary>
/// A credential as issued, shown this once: the fleet keeps only a salted hash of the secret and never a device's private
/// key.
/// </summary>
/// <param name="Id">The credential's id, for rotation and revocation.</param>
/// <param name="Device">The device code, which is also the MQTT user name.</param>
/// <param name="Kind">Password or certificate.</param>
/// <param name="Secret">The password; null for a certificate.</param>
/// <param name="CertificatePem">The device certificate; null for a password.</param>
/// <param name="PrivateKeyPem">The private key the fleet generated; null for a password or when a CSR was given.</param>
/// <param name="CaCertificatePem">The fleet CA's certificate, for the device's trust store when the broker uses TLS.</param>
/// <param name="IssuedAt">When.</param>
/// <param name="ExpiresAt">When a certificate expires; null for a password.</param>
public sealed record IssuedCredential(
    string Id,
    string Device,
    CredentialKind Kind,
    string? Secret,
    string? CertificatePem,
    string? PrivateKeyPem,
    string? CaCertificatePem,
    DateTimeOffset IssuedAt,
    DateTimeOffset? ExpiresAt);
