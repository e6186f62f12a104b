using CivicEdge.Fleet.Core.Access;
using CivicEdge.Fleet.Server.Audit;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;

namespace CivicEdge.Fleet.Server.Access;

/// <summary>
/// Answers a refused request with an RFC 9457 problem document saying why (401: no, bad, expired or revoked
/// credentials; 403: the role lacks the endpoint's permission, or a device asks for what is not offered to it), and writes the refusal to the audit log (FR-36).
/// </summary>
internal sealed class AccessDenialResultHandler(RequestAuditTrail audit, IProblemDetailsService problems) : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler _default = new();

    public async Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        if (authorizeResult.Challenged)
        {
            // Handlers keep their result for the request, so this is the failure authorization already saw.
            var authentication = await context.AuthenticateAsync(FleetAuthentication.Scheme).ConfigureAwait(false);
            var reason = (authentication.Failure is { } failure ? TokenFailure.Describe(failure) : null)
                ?? $"no credentials: send 'Authorization: Bearer <API key or token>' or '{ApiKeyAuthenticationHandler.HeaderName}: <API key>' (a device: 'Authorization: Basic <base64 of code:password>')";
            var refusedKey = context.Items[ApiKeyAuthenticationHandler.RefusedKeyItem] as ApiKey;
            var actor = refusedKey?.ToCaller().Name
                ?? (context.Items[DeviceAuthenticationHandler.RefusedDeviceItem] is string device ? "device:" + device : null)
                ?? (authentication.Failure is null ? "anonymous"
                    : DeviceAuthenticationHandler.CarriesBasic(context.Request) ? "basic credentials"
                    : ApiKeyAuthenticationHandler.KeyText(context.Request) is null ? "bearer token" : "anonymous");
            await audit.RecordDenialAsync(context, actor, refusedKey?.Role, refusedKey?.Scope, StatusCodes.Status401Unauthorized, reason).ConfigureAwait(false);

            await context.ChallengeAsync(FleetAuthentication.Scheme).ConfigureAwait(false);
            await WriteAsync(context, StatusCodes.Status401Unauthorized, "Authentication required", reason).ConfigureAwait(false);
            return;
        }

        if (authorizeResult.Forbidden)
        {
            var reason = authorizeResult.AuthorizationFailure?.FailureReasons.FirstOrDefault()?.Message ?? "the caller may not do this";
            FleetClaims.TryGetCaller(context.User, out var caller);
            var actor = caller?.Name ?? (FleetClaims.TryGetDevice(context.User, out var device) ? "device:" + device : "unknown");
            await audit.RecordDenialAsync(context, actor, caller?.Role, caller?.Scope, StatusCodes.Status403Forbidden, reason).ConfigureAwait(false);

            context.Response.StatusCode = StatusCodes.Status403Forbidden;
            await WriteAsync(context, StatusCodes.Status403Forbidden, "Not permitted", $"{actor}: {reason}").ConfigureAwait(false);
            return;
        }

        await _default.HandleAsync(next, context, policy, authorizeResult).ConfigureAwait(false);
    }

    private async Task WriteAsync(HttpContext context, int status, string title, string detail)
    {
        context.Response.StatusCode = status;
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = { Status = status, Title = title, Detail = detail },
        }).ConfigureAwait(false);
    }
}
