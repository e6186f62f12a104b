using CivicEdge.Fleet.Contracts.Access;
using Microsoft.AspNetCore.Authorization;

namespace CivicEdge.Fleet.Server.Access;

/// <summary>Meets a <see cref="PermissionRequirement"/> when the caller's role grants the permission; says why not otherwise.</summary>
internal sealed class PermissionHandler : AuthorizationHandler<PermissionRequirement>
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, PermissionRequirement requirement)
    {
        if (!FleetClaims.TryGetCaller(context.User, out var caller))
            return Task.CompletedTask;

        if (caller.May(requirement.Permission))
            context.Succeed(requirement);
        else
            context.Fail(new AuthorizationFailureReason(this, $"role {AccessNames.Of(caller.Role)} lacks permission {AccessNames.Of(requirement.Permission)}"));
        return Task.CompletedTask;
    }
}
