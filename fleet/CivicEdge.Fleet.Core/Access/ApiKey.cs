using CivicEdge.Fleet.Contracts.Access;

namespace CivicEdge.Fleet.Core.Access;

/// <summary>A person's API key as the fleet keeps it: the public id and a SHA-256 hash of the secret, never the secret.</summary>
/// <param name="Id">The public prefix the key is looked up by (<see cref="ApiKeyToken.Id"/>).</param>
/// <param name="SecretHash">SHA-256 of the secret, lowercase hex (<see cref="ApiKeyToken.HashSecret"/>).</param>
/// <param name="Name">Who or what holds it.</param>
/// <param name="Role">What it may do.</param>
/// <param name="Tenants">The tenants it acts for; empty when <paramref name="AllTenants"/>.</param>
/// <param name="AllTenants">City-wide.</param>
/// <param name="CreatedAt">When it was made.</param>
/// <param name="CreatedBy">Who made it (<c>bootstrap</c> for the first admin key).</param>
/// <param name="ExpiresAt">When it stops working; null for never.</param>
/// <param name="LastUsedAt">When it last authenticated a request; null for never.</param>
/// <param name="RevokedAt">When it was revoked; null while it stands.</param>
public sealed record ApiKey(
    string Id,
    string SecretHash,
    string Name,
    FleetRole Role,
    IReadOnlyList<string> Tenants,
    bool AllTenants,
    DateTimeOffset CreatedAt,
    string CreatedBy,
    DateTimeOffset? ExpiresAt,
    DateTimeOffset? LastUsedAt,
    DateTimeOffset? RevokedAt)
{
    public TenantScope Scope => AllTenants ? TenantScope.CityWide : TenantScope.Of(Tenants);

    /// <summary>True when the key authenticates at <paramref name="now"/>: not revoked and not expired.</summary>
    public bool IsUsableAt(DateTimeOffset now) => RevokedAt is null && (ExpiresAt is null || now < ExpiresAt);

    /// <summary>The caller this key stands for.</summary>
    public FleetCaller ToCaller() => new($"key:{Id} ({Name})", Role, Scope, "api-key");

    public ApiKeyInfo ToInfo() => new(Id, Name, Role, Tenants, AllTenants, CreatedAt, CreatedBy, ExpiresAt, LastUsedAt, RevokedAt);
}
