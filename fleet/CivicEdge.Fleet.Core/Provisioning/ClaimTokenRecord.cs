namespace CivicEdge.Fleet.Core.Provisioning;

/// <summary>A claim token as the ledger keeps it: the SHA-256 of the token, never the token.</summary>
/// <param name="Hash">Upper-case hex SHA-256 of the normalized token; the key.</param>
/// <param name="Device">The device it may claim, or null for a batch token.</param>
/// <param name="Batch">The batch whose devices it may claim, or null for a device token.</param>
/// <param name="IssuedAt">When it was issued.</param>
/// <param name="IssuedBy">Who asked for it.</param>
/// <param name="ExpiresAt">When it stops being valid.</param>
/// <param name="Claimed">The devices claimed with it: at most one for a device token, each device once for a batch token.</param>
public sealed record ClaimTokenRecord(
    string Hash,
    string? Device,
    string? Batch,
    DateTimeOffset IssuedAt,
    string IssuedBy,
    DateTimeOffset ExpiresAt,
    IReadOnlyList<string> Claimed);
