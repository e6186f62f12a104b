namespace CivicEdge.Fleet.Contracts.Ledger;

/// <summary>
/// The body of <c>POST /api/devices/{id}/credentials</c> and <c>…/credentials/rotate</c>. For a certificate, a PEM
/// certificate signing request keeps the private key on the device; without one the fleet generates a key pair.
/// </summary>
public sealed record CredentialRequest
{
    /// <summary>Password (default) or certificate.</summary>
    public CredentialKind? Kind { get; init; }

    /// <summary>A PKCS#10 certificate signing request in PEM, for a certificate.</summary>
    public string? Csr { get; init; }

    /// <summary>Rotation only: how long the credentials it replaces stay valid; the fleet's default when absent.</summary>
    public TimeSpan? Grace { get; init; }

    /// <summary>Rotation only: revoke the credentials it replaces at once (and cut their sessions).</summary>
    public bool? RevokeOld { get; init; }

    /// <summary>Who asks for it.</summary>
    public string? By { get; init; }
}
