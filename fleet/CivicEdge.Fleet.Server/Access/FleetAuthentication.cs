using CivicEdge.Fleet.Core.Access;
using CivicEdge.Fleet.Core.Provisioning;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace CivicEdge.Fleet.Server.Access;

/// <summary>
/// The REST API's authentication: one default scheme that hands each request to the API key handler, to the device
/// handler when it carries Basic credentials (a device's own ledger credential, RFC 7617), or, when the identity
/// provider is configured and the bearer token is not an API key, to JWT validation.
/// </summary>
internal static class FleetAuthentication
{
    public const string Scheme = "civic";
    public const string ApiKeyScheme = "civic-api-key";
    public const string JwtScheme = "civic-jwt";
    public const string DeviceScheme = "civic-device";

    public static IServiceCollection AddFleetAuthentication(this IServiceCollection services)
    {
        services.AddAuthentication(Scheme)
            .AddPolicyScheme(Scheme, "API key, identity provider token or device credential", options =>
                options.ForwardDefaultSelector = SchemeFor)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyScheme, "API key", null)
            .AddScheme<AuthenticationSchemeOptions, DeviceAuthenticationHandler>(DeviceScheme, "Device credential", null)
            .AddJwtBearer(JwtScheme, "Identity provider token", _ => { });

        services.AddOptions<JwtBearerOptions>(JwtScheme).Configure<IOptions<AccessOptions>>((bearer, access) =>
        {
            var jwt = access.Value.Jwt;
            bearer.MapInboundClaims = false;
            bearer.RequireHttpsMetadata = false;
            if (!jwt.Enabled)
                return;

            bearer.TokenValidationParameters = new TokenValidationParameters
            {
                ValidateIssuer = true,
                ValidIssuer = jwt.Issuer,
                ValidateAudience = true,
                ValidAudience = jwt.Audience,
                ValidateLifetime = true,
                RequireExpirationTime = true,
                ValidateIssuerSigningKey = true,
                RequireSignedTokens = true,
                IssuerSigningKeys = SigningKeyFile.Load(jwt.SigningKeysFile),
                ClockSkew = jwt.ClockSkew,
            };
            bearer.Events = new JwtBearerEvents
            {
                OnTokenValidated = context =>
                {
                    var (caller, problem) = JwtClaimMapping.Map(context.Principal!, jwt);
                    if (caller is null)
                        context.Fail($"identity provider token refused: {problem}");
                    else
                        context.Principal = FleetClaims.ToPrincipal(caller, JwtScheme);
                    return Task.CompletedTask;
                },
            };
        });

        services.AddSingleton<ApiKeyVerifier>();
        services.AddSingleton<DevicePasswordVerifier>();
        return services;
    }

    /// <summary>Which scheme authenticates <paramref name="context"/>: an API key wherever it is sent, else Basic for a device, else a JWT when enabled.</summary>
    private static string SchemeFor(HttpContext context)
    {
        var request = context.Request;
        if (ApiKeyAuthenticationHandler.KeyText(request) is not null)
            return ApiKeyScheme;
        if (DeviceAuthenticationHandler.CarriesBasic(request))
            return DeviceScheme;
        return ApiKeyAuthenticationHandler.BearerToken(request) is not null
            && context.RequestServices.GetRequiredService<IOptions<AccessOptions>>().Value.Jwt.Enabled
                ? JwtScheme
                : ApiKeyScheme;
    }
}
