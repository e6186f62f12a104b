namespace CivicEdge.Fleet.Contracts.Access;

/// <summary>The body of <c>POST /api/keys</c>.</summary>
/// <param name="Name">Who or what will hold the key.</param>
/// <param name="Role">What it may do.</param>
/// <param name="Tenants">The tenants it acts for; empty or null with <paramref name="AllTenants"/>.</param>
/// <param name="AllTenants">City-wide; only a city-wide admin may give it.</param>
/// <param name="ExpiresAt">When it stops working; null for never.</param>
public sealed record NewApiKey(
    string Name,
    FleetRole Role,
    IReadOnlyList<string>? Tenants,
    bool AllTenants,
    DateTimeOffset? ExpiresAt);
