using System.Security.Claims;
using CivicEdge.Fleet.Contracts.Access;
using CivicEdge.Fleet.Core.Access;

namespace CivicEdge.Fleet.Server.Access;

/// <summary>
/// Turns a validated identity provider token into a fleet caller: its name, the first of its roles the fleet knows
/// (through <see cref="JwtAccessOptions.Roles"/>), and its tenants (<c>*</c>: the whole city).
/// </summary>
internal static class JwtClaimMapping
{
    /// <summary>The caller, or the reason the token does not make one.</summary>
    public static (FleetCaller? Caller, string? Problem) Map(ClaimsPrincipal token, JwtAccessOptions options)
    {
        var name = token.FindFirst(options.NameClaim)?.Value;
        if (string.IsNullOrEmpty(name))
            return (null, $"the token carries no '{options.NameClaim}' claim naming the person");

        var roles = token.FindAll(options.RoleClaim).Select(claim => claim.Value).ToList();
        FleetRole? role = null;
        foreach (var value in roles)
        {
            if (RoleOf(value, options) is { } mapped)
            {
                role = mapped;
                break;
            }
        }

        if (role is null)
        {
            var known = options.Roles.Count > 0 ? string.Join(", ", options.Roles.Keys) : "admin, operator, installer, regulator";
            return (null, $"the token's '{options.RoleClaim}' claim names no fleet role: expected one of {known}, found {(roles.Count == 0 ? "none" : string.Join(", ", roles))}");
        }

        var tenants = token.FindAll(options.TenantClaim).Select(claim => claim.Value).Where(value => value.Length > 0).ToList();
        var scope = tenants.Contains(TenantScope.AllTenantsMark) ? TenantScope.CityWide : TenantScope.Of(tenants);
        if (!scope.AllTenants && scope.Tenants.Count == 0)
            return (null, $"the token's '{options.TenantClaim}' claim names no tenant: expected tenant ids, or '{TenantScope.AllTenantsMark}' for the whole city");

        return (new FleetCaller(name, role.Value, scope, "jwt"), null);
    }

    private static FleetRole? RoleOf(string value, JwtAccessOptions options)
    {
        if (options.Roles.Count > 0)
            return options.Roles.TryGetValue(value, out var mapped) ? Enum.Parse<FleetRole>(mapped, ignoreCase: true) : null;
        return Enum.TryParse<FleetRole>(value, ignoreCase: true, out var role) && !int.TryParse(value, out _) ? role : null;
    }
}
