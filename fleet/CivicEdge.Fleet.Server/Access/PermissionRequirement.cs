using CivicEdge.Fleet.Contracts.Access;
using Microsoft.AspNetCore.Authorization;

namespace CivicEdge.Fleet.Server.Access;

/// <summary>An endpoint's one permission, met when the caller's role grants it (<c>RolePermissions</c>).</summary>
internal sealed class PermissionRequirement(FleetPermission permission) : IAuthorizationRequirement
{
    public FleetPermission Permission { get; } = permission;
}
