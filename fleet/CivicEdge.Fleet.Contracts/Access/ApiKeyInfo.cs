namespace CivicEdge.Fleet.Contracts.Access;

/// <summary>A person's API key as the fleet shows it: everything but the secret, which only its holder has.</summary>
/// <param name="Id">The public prefix, the part of the key after <c>ce_</c> and before the second <c>_</c>.</param>
/// <param name="Name">Who or what holds it, e.g. <c>water-utility-dispatch</c>.</param>
/// <param name="Role">What it may do.</param>
/// <param name="Tenants">The tenants it acts for; empty when <paramref name="AllTenants"/>.</param>
/// <param name="AllTenants">City-wide: every tenant's devices.</param>
/// <param name="CreatedAt">When it was made.</param>
/// <param name="CreatedBy">Who made it.</param>
/// <param name="ExpiresAt">When it stops working; null for never.</param>
/// <param name="LastUsedAt">When it last authenticated a request (to the minute); null for never.</param>
/// <param name="RevokedAt">When it was revoked; null while it stands.</param>
public sealed record ApiKeyInfo(
    string Id,
    string Name,
    FleetRole Role,
    IReadOnlyList<string> Tenants,
    bool AllTenants,
    DateTimeOffset CreatedAt,
    string CreatedBy,
    DateTimeOffset? ExpiresAt,
    DateTimeOffset? LastUsedAt,
    DateTimeOffset? RevokedAt);
