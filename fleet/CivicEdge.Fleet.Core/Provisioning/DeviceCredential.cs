using CivicEdge.Fleet.Contracts.Ledger;

namespace CivicEdge.Fleet.Core.Provisioning;

/// <summary>A credential as the ledger keeps it: never the secret, only what checks it.</summary>
/// <param name="Id">Random, unique; how operators name it.</param>
/// <param name="Device">The device code it belongs to (its MQTT user name).</param>
/// <param name="Kind">Password or certificate.</param>
/// <param name="PasswordHash">A password's PBKDF2-SHA512 hash in Mosquitto's <c>$7$</c> form (<see cref="Security.SecretHash"/>); null for a certificate.</param>
/// <param name="Thumbprint">A certificate's SHA-256 thumbprint, upper-case hex; null for a password.</param>
/// <param name="IssuedAt">When it was issued.</param>
/// <param name="IssuedBy">Who issued it.</param>
/// <param name="ValidUntil">A certificate's expiry or the end of a rotation's grace period; null for no end.</param>
/// <param name="RevokedAt">When it was revoked; null while it is not.</param>
/// <param name="RevokedBy">Who revoked it.</param>
/// <param name="RevocationReason">Why.</param>
public sealed record DeviceCredential(
    string Id,
    string Device,
    CredentialKind Kind,
    string? PasswordHash,
    string? Thumbprint,
    DateTimeOffset IssuedAt,
    string IssuedBy,
    DateTimeOffset? ValidUntil,
    DateTimeOffset? RevokedAt,
    string? RevokedBy,
    string? RevocationReason)
{
    /// <summary>Whether the broker accepts it at <paramref name="now"/>.</summary>
    public bool IsActiveAt(DateTimeOffset now) => RevokedAt is null && (ValidUntil is null || ValidUntil > now);

    public CredentialSummary Summarize(DateTimeOffset now) =>
        new(Id, Kind, IssuedAt, IssuedBy, ValidUntil, RevokedAt, RevokedBy, RevocationReason, Thumbprint, IsActiveAt(now));
}
