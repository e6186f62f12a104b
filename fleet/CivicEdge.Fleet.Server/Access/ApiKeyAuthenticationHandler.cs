using System.Text.Encodings.Web;
using CivicEdge.Fleet.Core.Access;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace CivicEdge.Fleet.Server.Access;

/// <summary>
/// Authenticates a request by the API key in <c>X-Api-Key</c> or <c>Authorization: Bearer ce_…</c> (RFC 6750 §2.1).
/// A request with neither is not authenticated here (no result); one with a bad key fails with the reason.
/// </summary>
internal sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    ApiKeyVerifier verifier) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string HeaderName = "X-Api-Key";

    /// <summary>Where a refused key is left for the audit log, so that a denial names whose key it was.</summary>
    public static readonly object RefusedKeyItem = new();

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (KeyText(Request) is not { } text)
            return AuthenticateResult.NoResult();

        var check = await verifier.CheckAsync(text, Context.RequestAborted).ConfigureAwait(false);
        if (!check.Accepted)
        {
            if (check.Key is not null)
                Context.Items[RefusedKeyItem] = check.Key;
            return AuthenticateResult.Fail(check.Problem!);
        }

        var principal = FleetClaims.ToPrincipal(check.Key!.ToCaller(), Scheme.Name);
        return AuthenticateResult.Success(new AuthenticationTicket(principal, Scheme.Name));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.Append(HeaderNames.WWWAuthenticate, "Bearer realm=\"civicedge-fleet\"");
        return Task.CompletedTask;
    }

    /// <summary>The API key the request carries, or null; a bearer token that is not an API key is left to the JWT scheme.</summary>
    public static string? KeyText(HttpRequest request)
    {
        if (request.Headers[HeaderName].ToString() is { Length: > 0 } header)
            return header.Trim();
        return BearerToken(request) is { } token && token.StartsWith(ApiKeyToken.Prefix, StringComparison.Ordinal) ? token : null;
    }

    public static string? BearerToken(HttpRequest request)
    {
        var authorization = request.Headers.Authorization.ToString();
        return authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? authorization["Bearer ".Length..].Trim() : null;
    }
}
