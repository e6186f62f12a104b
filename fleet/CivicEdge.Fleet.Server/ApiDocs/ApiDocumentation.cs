using CivicEdge.Fleet.Contracts;
using CivicEdge.Fleet.Contracts.Access;
using CivicEdge.Fleet.Core.Access;
using CivicEdge.Fleet.Server.Access;
using Microsoft.AspNetCore.Authorization;
using Microsoft.OpenApi;
using Scalar.AspNetCore;

namespace CivicEdge.Fleet.Server.ApiDocs;

/// <summary>
/// The REST API's OpenAPI document at <c>/openapi/v1.json</c>, with its two ways to authenticate, and the API
/// reference at <c>/docs</c> (Scalar, served from the fleet itself: no CDN). Each operation names the permission it
/// requires and the roles that have it.
/// </summary>
internal static class ApiDocumentation
{
    public const string DocumentPath = "/openapi/v1.json";
    public const string ReferencePath = "/docs";
    public const string ApiKeySchemeName = "apiKey";
    public const string BearerSchemeName = "bearer";
    public const string DeviceSchemeName = "deviceBasic";

    public static IServiceCollection AddFleetApiDocumentation(this IServiceCollection services)
    {
        // The schemas come from the same source-generated contracts the endpoints write with: camelCase, enums as strings.
        services.ConfigureHttpJsonOptions(json =>
        {
            json.SerializerOptions.TypeInfoResolverChain.Insert(0, ContractsJson.Default);
            json.SerializerOptions.TypeInfoResolverChain.Insert(1, AccessJson.Default);
        });
        services.AddOpenApi(options =>
        {
            options.AddDocumentTransformer((document, _, _) =>
            {
                document.Info.Title = "CivicEdge fleet API";
                document.Info.Description =
                    "The city's device ledger, telemetry, events, twins and health. Authenticate with an API key " +
                    $"(`Authorization: Bearer ce_…` or `{ApiKeyAuthenticationHandler.HeaderName}`) or a bearer token from the city's identity " +
                    "provider. Devices outside the caller's tenants answer 404, like unknown ones. Errors are RFC 9457 problem details.";
                document.Components ??= new OpenApiComponents();
                document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>(StringComparer.Ordinal);
                document.Components.SecuritySchemes[ApiKeySchemeName] = new OpenApiSecurityScheme
                {
                    Type = SecuritySchemeType.ApiKey,
                    In = ParameterLocation.Header,
                    Name = ApiKeyAuthenticationHandler.HeaderName,
                    Description = "A person's API key, ce_<id>_<secret>.",
                };
                document.Components.SecuritySchemes[BearerSchemeName] = new OpenApiSecurityScheme
                {
                    Type = SecuritySchemeType.Http,
                    Scheme = "bearer",
                    BearerFormat = "API key (ce_…) or JWT",
                    Description = "An API key, or a JWT from the city's identity provider when the fleet is configured for one (Fleet:Access:Jwt).",
                };
                document.Components.SecuritySchemes[DeviceSchemeName] = new OpenApiSecurityScheme
                {
                    Type = SecuritySchemeType.Http,
                    Scheme = "basic",
                    Description = "A device's own ledger credential, its code and password (RFC 7617): artifact downloads a campaign offers it, nothing else.",
                };
                return Task.CompletedTask;
            });
            options.AddOperationTransformer((operation, context, _) =>
            {
                var metadata = context.Description.ActionDescriptor.EndpointMetadata;
                if (metadata.OfType<IAllowAnonymous>().Any())
                    return Task.CompletedTask;

                operation.Security ??= [];
                operation.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(ApiKeySchemeName, context.Document)] = [] });
                operation.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(BearerSchemeName, context.Document)] = [] });
                if (metadata.OfType<DeviceDownload>().Any())
                    operation.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(DeviceSchemeName, context.Document)] = [] });
                if (metadata.OfType<RequiredPermission>().LastOrDefault() is { } required)
                {
                    var roles = Enum.GetValues<FleetRole>().Where(role => RolePermissions.Grants(role, required.Permission));
                    operation.Description = $"Requires permission `{AccessNames.Of(required.Permission)}` (roles: {string.Join(", ", roles.Select(AccessNames.Of))}).";
                    if (metadata.OfType<DeviceDownload>().Any())
                        operation.Description += " A device may also call it with its own credential for an artifact a running, paused or halted campaign offers it.";
                }
                else
                {
                    operation.Description = "Any authenticated caller.";
                }

                return Task.CompletedTask;
            });
        });
        return services;
    }

    public static WebApplication MapFleetApiDocumentation(this WebApplication app)
    {
        app.MapOpenApi(DocumentPath).AllowAnonymous();
        app.MapScalarApiReference(ReferencePath, options => options
                .WithTitle("CivicEdge fleet API")
                .WithOpenApiRoutePattern(DocumentPath))
            .AllowAnonymous();
        return app;
    }
}
