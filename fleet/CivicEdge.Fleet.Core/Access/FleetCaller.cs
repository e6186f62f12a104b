using CivicEdge.Fleet.Contracts.Access;

namespace CivicEdge.Fleet.Core.Access;

/// <summary>A person or system acting at the fleet: who it is, its role and the tenants it acts for.</summary>
/// <param name="Name">The caller as the audit log names it, e.g. <c>key:k7x2m9qa (dispatch)</c>.</param>
/// <param name="Role">Its role.</param>
/// <param name="Scope">Its tenants.</param>
/// <param name="Method">How it authenticated: <c>api-key</c> or <c>jwt</c>.</param>
public sealed record FleetCaller(string Name, FleetRole Role, TenantScope Scope, string Method)
{
    /// <summary>True when the caller's role allows <paramref name="permission"/>.</summary>
    public bool May(FleetPermission permission) => RolePermissions.Grants(Role, permission);

    /// <summary>
    /// True when the caller may see a device owned by <paramref name="tenant"/>. A device with no tenant yet (just
    /// connected, not yet in the ledger) is seen by city-wide admins only, who are the ones to assign it.
    /// </summary>
    public bool Sees(string? tenant) =>
        tenant is null ? Role == FleetRole.Admin && Scope.AllTenants : Scope.Covers(tenant);
}
