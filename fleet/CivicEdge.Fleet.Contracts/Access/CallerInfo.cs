namespace CivicEdge.Fleet.Contracts.Access;

/// <summary>The answer to <c>GET /api/me</c>: who the fleet takes the caller for and what it may do.</summary>
/// <param name="Name">The caller as the audit log names it.</param>
/// <param name="Role">Its role.</param>
/// <param name="Tenants">The tenants it acts for; empty when <paramref name="AllTenants"/>.</param>
/// <param name="AllTenants">City-wide.</param>
/// <param name="Permissions">What its role allows, in the order of <see cref="FleetPermission"/>.</param>
/// <param name="Method">How it authenticated: <c>api-key</c> or <c>jwt</c>.</param>
public sealed record CallerInfo(
    string Name,
    FleetRole Role,
    IReadOnlyList<string> Tenants,
    bool AllTenants,
    IReadOnlyList<FleetPermission> Permissions,
    string Method);
