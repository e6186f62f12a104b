using CivicEdge.Fleet.Core.Access;
using CivicEdge.Fleet.Core.Audit;
using CivicEdge.Fleet.Server.ApiDocs;
using CivicEdge.Fleet.Server.Audit;
using Microsoft.AspNetCore.Authorization;

namespace CivicEdge.Fleet.Server.Access;

/// <summary>What <see cref="FleetComposition"/> adds for people's access: authentication, authorization, tenant scope, the audit trail, the API document.</summary>
internal static class AccessComposition
{
    public static IServiceCollection AddFleetAccess(this IServiceCollection services)
    {
        services.AddOptions<AccessOptions>()
            .Configure<IConfiguration>(BindStrictly)
            .ValidateOnStart();
        services.AddSingleton<Microsoft.Extensions.Options.IValidateOptions<AccessOptions>, AccessOptionsValidator>();

        services.AddHttpContextAccessor();
        services.AddFleetAuthentication();
        services.AddFleetAuthorization();
        services.AddSingleton<IAuthorizationMiddlewareResultHandler, AccessDenialResultHandler>();

        // Device owners come from the device ledger, which registers the IDeviceTenancy this needs.
        services.AddSingleton<DeviceVisibility>();
        services.AddSingleton<RequestAuditTrail>();
        services.AddSingleton<IAuditTrail>(provider => provider.GetRequiredService<RequestAuditTrail>());
        services.AddHostedService<BootstrapAdminKey>();
        services.AddFleetApiDocumentation();
        return services;
    }

    /// <summary>
    /// Binds <c>Fleet:Access</c>, refusing a misspelt key: a security setting that silently does nothing (say
    /// <c>Jwt:Enabeld</c>) must stop the start, named like every other configuration problem.
    /// </summary>
    private static void BindStrictly(AccessOptions options, IConfiguration configuration)
    {
        try
        {
            configuration.GetSection(AccessOptions.Section).Bind(options, binder => binder.ErrorOnUnknownConfiguration = true);
        }
        catch (InvalidOperationException exception)
        {
            throw new Microsoft.Extensions.Options.OptionsValidationException(
                AccessOptions.Section, typeof(AccessOptions), [$"{AccessOptions.Section}: {exception.Message}"]);
        }
    }

    public static WebApplication UseFleetAccess(this WebApplication app)
    {
        app.UseAuthentication();
        app.UseAuthorization();
        return app;
    }

    public static WebApplication MapFleetAccess(this WebApplication app)
    {
        app.MapAccessEndpoints();
        app.MapAuditEndpoints();
        app.MapFleetApiDocumentation();
        return app;
    }
}
