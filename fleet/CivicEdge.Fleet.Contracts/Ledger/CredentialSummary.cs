namespace CivicEdge.Fleet.Contracts.Ledger;

/// <summary>A credential without its secret: what <c>GET /api/devices/{id}/credentials</c> lists.</summary>
/// <param name="Id">The credential's id.</param>
/// <param name="Kind">Password or certificate.</param>
/// <param name="IssuedAt">When it was issued.</param>
/// <param name="IssuedBy">Who issued it.</param>
/// <param name="ValidUntil">When it stops being accepted: a certificate's expiry, or the end of a rotation's grace period.</param>
/// <param name="RevokedAt">When it was revoked; null while it is not.</param>
/// <param name="RevokedBy">Who revoked it.</param>
/// <param name="RevocationReason">Why.</param>
/// <param name="Thumbprint">A certificate's SHA-256 thumbprint (hex); null for a password.</param>
/// <param name="Active">Whether the broker accepts it now.</param>
public sealed record CredentialSummary(
    string Id,
    CredentialKind Kind,
    DateTimeOffset IssuedAt,
    string IssuedBy,
    DateTimeOffset? ValidUntil,
    DateTimeOffset? RevokedAt,
    string? RevokedBy,
    string? RevocationReason,
    string? Thumbprint,
    bool Active);
