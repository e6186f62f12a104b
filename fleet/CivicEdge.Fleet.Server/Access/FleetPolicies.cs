using CivicEdge.Fleet.Contracts.Access;
using CivicEdge.Fleet.Core.Ota;
using Microsoft.AspNetCore.Authorization;

namespace CivicEdge.Fleet.Server.Access;

/// <summary>
/// The REST API's authorization: one policy per <see cref="FleetPermission"/>, met when the caller's role grants it.
/// </summary>
/// <remarks>
/// The pattern every endpoint follows, so that none is left open by accident:
/// <list type="number">
/// <item>require exactly one permission: <c>group.MapPost("/", SendAsync).RequirePermission(FleetPermission.SendCommands)</c>
/// (a new kind of action adds a <see cref="FleetPermission"/> and its row in <c>RolePermissions</c>);</item>
/// <item>an endpoint with a device <c>{id}</c> in its route adds <c>.RequireDeviceScope()</c>: a device outside the
/// caller's tenants answers 404, like an unknown one; a list filters with <c>DeviceVisibility</c>;</item>
/// <item>every change (command, twin, credential, key, registration, lifecycle) writes one audit entry through
/// <c>IAuditTrail.RecordAsync</c>; denials are audited here;</item>
/// <item>a device authenticated with its own credential (Basic, RFC 7617) passes no permission; only an artifact
/// download marked <c>.AllowDeviceDownload()</c> lets it in, for what a campaign offers it (<see cref="DeviceAccessHandler"/>);</item>
/// <item><c>.WithSummary(…)</c> and <c>.Produces…</c> for the API document.</item>
/// </list>
/// An endpoint without a policy still needs an authenticated caller (the fallback policy); only <c>/healthz</c>, the
/// API document and <c>/docs</c> allow anonymous callers, and a test checks that every other endpoint declares its
/// security in the document.
/// </remarks>
internal static class FleetPolicies
{
    public static string For(FleetPermission permission) => $"permission:{permission}";

    public static IServiceCollection AddFleetAuthorization(this IServiceCollection services)
    {
        services.AddSingleton<IAuthorizationHandler, PermissionHandler>();
        services.AddSingleton<IAuthorizationHandler, DeviceAccessHandler>();
        services.AddSingleton<OfferedArtifacts>();
        // An endpoint that only needs an authenticated caller needs a person: a device's credential reaches downloads alone.
        services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new AuthorizationPolicyBuilder(FleetAuthentication.Scheme).RequireAuthenticatedUser().AddRequirements(new PersonRequirement()).Build())
            .SetDefaultPolicy(new AuthorizationPolicyBuilder(FleetAuthentication.Scheme).RequireAuthenticatedUser().AddRequirements(new PersonRequirement()).Build());
        services.AddAuthorization(options =>
        {
            foreach (var permission in Enum.GetValues<FleetPermission>())
            {
                options.AddPolicy(For(permission), policy => policy
                    .AddAuthenticationSchemes(FleetAuthentication.Scheme)
                    .RequireAuthenticatedUser()
                    .AddRequirements(new PermissionRequirement(permission)));
            }
        });
        return services;
    }

    /// <summary>
    /// Lets a device authenticated with its own credential call the endpoint (which requires
    /// <see cref="FleetPermission.ReadArtifacts"/> of people) for an artifact a live campaign offers it.
    /// </summary>
    public static TBuilder AllowDeviceDownload<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new DeviceDownload());

    /// <summary>Requires <paramref name="permission"/> of every caller, and says so in the API document.</summary>
    public static TBuilder RequirePermission<TBuilder>(this TBuilder builder, FleetPermission permission)
        where TBuilder : IEndpointConventionBuilder =>
        builder
            .RequireAuthorization(For(permission))
            .WithMetadata(new RequiredPermission(permission))
            .WithMetadata(new ProducesResponseTypeMetadata(StatusCodes.Status401Unauthorized, typeof(Microsoft.AspNetCore.Mvc.ProblemDetails), ["application/problem+json"]))
            .WithMetadata(new ProducesResponseTypeMetadata(StatusCodes.Status403Forbidden, typeof(Microsoft.AspNetCore.Mvc.ProblemDetails), ["application/problem+json"]));
}
