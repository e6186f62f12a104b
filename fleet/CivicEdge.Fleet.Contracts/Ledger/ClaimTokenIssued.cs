namespace CivicEdge.Fleet.Contracts.Ledger;

/// <summary>A claim token, shown this once: the fleet keeps only its hash.</summary>
/// <param name="Token">The token to give the installer.</param>
/// <param name="Device">The device it may claim, or null for a batch token.</param>
/// <param name="Batch">The batch it may claim devices of, or null for a device token.</param>
/// <param name="ExpiresAt">When it stops being valid.</param>
public sealed record ClaimTokenIssued(string Token, string? Device, string? Batch, DateTimeOffset ExpiresAt);
