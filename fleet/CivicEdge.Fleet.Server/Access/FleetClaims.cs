using System.Diagnostics.CodeAnalysis;
using System.Security.Claims;
using CivicEdge.Fleet.Contracts.Access;
using CivicEdge.Fleet.Core.Access;
using CivicEdge.Fleet.Core.Security;

namespace CivicEdge.Fleet.Server.Access;

/// <summary>
/// The claims a caller carries once authenticated, whichever way (API key or identity provider token): one identity
/// shape, read back as a <see cref="FleetCaller"/>.
/// </summary>
internal static class FleetClaims
{
    public const string Role = "civic:role";
    public const string Tenant = "civic:tenant";
    public const string AllTenants = "civic:all-tenants";
    public const string Method = "civic:method";

    /// <summary>The code of a device that authenticated with its own ledger credential; it carries no role.</summary>
    public const string Device = "civic:device";

    /// <summary>The ledger credential a device authenticated with.</summary>
    public const string Credential = "civic:credential";

    public static ClaimsPrincipal ToPrincipal(FleetCaller caller, string authenticationType)
    {
        var claims = new List<Claim>
        {
            new(ClaimTypes.Name, caller.Name),
            new(Role, caller.Role.ToString()),
            new(Method, caller.Method),
        };
        if (caller.Scope.AllTenants)
            claims.Add(new Claim(AllTenants, "true"));
        claims.AddRange(caller.Scope.Tenants.Select(tenant => new Claim(Tenant, tenant)));
        return new ClaimsPrincipal(new ClaimsIdentity(claims, authenticationType, ClaimTypes.Name, Role));
    }

    /// <summary>A device that authenticated with its own credential: it may download what is offered to it and nothing else.</summary>
    public static ClaimsPrincipal ToDevicePrincipal(DeviceIdentity device, string authenticationType)
    {
        ArgumentNullException.ThrowIfNull(device);
        Claim[] claims =
        [
            new(ClaimTypes.Name, "device:" + device.Code),
            new(Device, device.Code),
            new(Credential, device.CredentialId),
            new(Method, "device-password"),
        ];
        return new ClaimsPrincipal(new ClaimsIdentity(claims, authenticationType, ClaimTypes.Name, Role));
    }

    /// <summary>The device code <paramref name="user"/> authenticated as; false for a person or an anonymous caller.</summary>
    public static bool TryGetDevice(ClaimsPrincipal user, [NotNullWhen(true)] out string? code)
    {
        code = user.Identity is { IsAuthenticated: true } ? user.FindFirst(Device)?.Value : null;
        return code is not null;
    }

    /// <summary>The caller <paramref name="user"/> stands for; false when it is not authenticated as a fleet caller.</summary>
    public static bool TryGetCaller(ClaimsPrincipal user, [NotNullWhen(true)] out FleetCaller? caller)
    {
        caller = null;
        if (user.Identity is not { IsAuthenticated: true } identity
            || user.FindFirst(Role)?.Value is not { } roleText
            || !Enum.TryParse<FleetRole>(roleText, out var role))
        {
            return false;
        }

        var scope = user.HasClaim(AllTenants, "true")
            ? TenantScope.CityWide
            : TenantScope.Of(user.FindAll(Tenant).Select(claim => claim.Value));
        caller = new FleetCaller(identity.Name ?? "unnamed", role, scope, user.FindFirst(Method)?.Value ?? "unknown");
        return true;
    }

    /// <summary>The caller of a request that passed authorization; every endpoint but the anonymous ones has one.</summary>
    public static FleetCaller Caller(this HttpContext context) =>
        TryGetCaller(context.User, out var caller)
            ? caller
            : throw new InvalidOperationException("The endpoint runs without an authenticated caller: it lacks RequirePermission (see FleetPolicies).");
}
