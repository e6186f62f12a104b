using CivicEdge.Fleet.Contracts.Access;
using CivicEdge.Fleet.Core.Access;
using CivicEdge.Fleet.Core.Audit;

namespace CivicEdge.Fleet.Server.Access;

/// <summary>
/// Tenant scope for endpoints with a device <c>{id}</c> in their route: a device outside the caller's tenants answers
/// 404 with the very problem document of an unknown device, so that its existence does not leak; the refusal is
/// audited. The device's tenant is left in the request for the endpoint's own audit entries.
/// </summary>
internal static class DeviceScope
{
    private static readonly object TenantItem = new();

    public static TBuilder RequireDeviceScope<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilter(async (context, next) =>
        {
            var http = context.HttpContext;
            if (http.GetRouteValue("id") is not string deviceId)
                throw new InvalidOperationException($"{http.Request.Path}: RequireDeviceScope needs a route with a device {{id}}.");

            var caller = http.Caller();
            var visibility = http.RequestServices.GetRequiredService<DeviceVisibility>();
            var (visible, tenant) = await visibility.CheckAsync(caller, deviceId, http.RequestAborted).ConfigureAwait(false);
            if (!visible)
            {
                await http.RequestServices.GetRequiredService<IAuditTrail>().RecordAsync(
                    AuditActions.AccessDenied,
                    deviceId,
                    tenant,
                    AuditOutcome.Denied,
                    $"404 {http.Request.Method} {http.Request.Path}: the device is unknown or outside the caller's tenants ({caller.Scope})",
                    http.RequestAborted).ConfigureAwait(false);
                return DeviceEndpoints.DeviceNotFound(deviceId);
            }

            http.Items[TenantItem] = tenant;
            return await next(context).ConfigureAwait(false);
        })
        .WithMetadata(new ProducesResponseTypeMetadata(StatusCodes.Status404NotFound, typeof(Microsoft.AspNetCore.Mvc.ProblemDetails), ["application/problem+json"]));

    /// <summary>The tenant of the request's device, as <see cref="RequireDeviceScope{TBuilder}"/> found it.</summary>
    public static string? TenantOfDevice(this HttpContext context) => context.Items[TenantItem] as string;
}
