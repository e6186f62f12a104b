using CivicEdge.Fleet.Contracts.Access;
using CivicEdge.Fleet.Core.Ota;
using Microsoft.AspNetCore.Authorization;

namespace CivicEdge.Fleet.Server.Access;

/// <summary>
/// What a device authenticated with its own credential may do: GET an artifact's manifest, payload or package on an
/// endpoint marked <see cref="DeviceDownload"/>, when a live campaign offers that artifact to it or to a device it is
/// the addressee of (<see cref="OfferedArtifacts"/>). Every other endpoint refuses it with 403 and the reason, audited
/// by <see cref="AccessDenialResultHandler"/>; a person's requests pass through untouched.
/// </summary>
internal sealed class DeviceAccessHandler(OfferedArtifacts offered, IHttpContextAccessor accessor) : IAuthorizationHandler
{
    public const string ArtifactRouteValue = "artifactId";

    public async Task HandleAsync(AuthorizationHandlerContext context)
    {
        var isPerson = FleetClaims.TryGetCaller(context.User, out _);
        FleetClaims.TryGetDevice(context.User, out var device);
        foreach (var requirement in context.PendingRequirements.ToList())
        {
            switch (requirement)
            {
                case PersonRequirement when isPerson:
                    context.Succeed(requirement);
                    break;
                case PersonRequirement when device is not null:
                    context.Fail(new AuthorizationFailureReason(this, $"device {device} authenticates only to download the artifacts offered to it; this endpoint is for people"));
                    break;
                case PermissionRequirement permission when device is not null:
                    await DecideAsync(context, permission, device).ConfigureAwait(false);
                    break;
            }
        }
    }

    private async Task DecideAsync(AuthorizationHandlerContext context, PermissionRequirement requirement, string device)
    {
        var http = context.Resource as HttpContext ?? accessor.HttpContext;
        if (requirement.Permission != FleetPermission.ReadArtifacts
            || http?.GetEndpoint()?.Metadata.GetMetadata<DeviceDownload>() is null
            || http.GetRouteValue(ArtifactRouteValue) is not string artifactId)
        {
            context.Fail(new AuthorizationFailureReason(this,
                $"device {device} authenticates only to download the artifacts offered to it; it holds no permission of a person (this endpoint needs {AccessNames.Of(requirement.Permission)})"));
            return;
        }

        if (await offered.RefusalAsync(device, artifactId, http.RequestAborted).ConfigureAwait(false) is { } refusal)
            context.Fail(new AuthorizationFailureReason(this, refusal));
        else
            context.Succeed(requirement);
    }
}
