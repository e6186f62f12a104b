using CivicEdge.Fleet.Contracts.Access;
using CivicEdge.Fleet.Contracts.Ledger;
using CivicEdge.Fleet.Core.Access;
using CivicEdge.Fleet.Core.Audit;
using CivicEdge.Fleet.Core.Ledger;
using CivicEdge.Fleet.Core.Provisioning;
using CivicEdge.Fleet.Server.Access;

namespace CivicEdge.Fleet.Server.Ledger;

/// <summary>
/// Claiming devices on site: <c>POST /api/claim-tokens</c> issues a short-lived token for a device or a batch (shown
/// once), <c>POST /api/devices/{id}/claim</c> spends it, moving the device to installed. The installer recorded is the
/// authenticated caller; a token is issued only for devices in the caller's tenants.
/// </summary>
internal static class ProvisioningEndpoints
{
    public static IEndpointRouteBuilder MapProvisioningEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost("/api/claim-tokens", IssueTokenAsync)
            .RequirePermission(FleetPermission.IssueClaimTokens)
            .WithSummary("Issue a claim token (shown once) for a registered device or for every device of a batch, all in the caller's tenants")
            .Accepts<ClaimTokenRequest>("application/json")
            .Produces<ClaimTokenIssued>(StatusCodes.Status201Created)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        endpoints.MapPost("/api/devices/{id}/claim", ClaimAsync)
            .RequirePermission(FleetPermission.ClaimDevices)
            .RequireDeviceScope()
            .WithSummary("Claim a registered device on site with its claim token: it becomes installed by the caller, optionally with its first password")
            .Accepts<ClaimRequest>("application/json")
            .Produces<ClaimAnswer>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status409Conflict);
        return endpoints;
    }

    private static async Task<IResult> IssueTokenAsync(
        HttpContext context, DeviceProvisioning provisioning, DeviceLedger ledger, DeviceVisibility visibility, IAuditTrail audit, CancellationToken cancellationToken)
    {
        var (body, problem) = await LedgerRequests.ReadAsync(context.Request, LedgerJson.Default.ClaimTokenRequest, optional: false, cancellationToken);
        if (problem is not null)
        {
            await audit.RecordRefusalAsync(AuditActions.ClaimTokenIssue, null, null, "the body is not a claim token request", cancellationToken);
            return problem;
        }

        var caller = context.Caller();
        var target = body!.Device ?? $"batch:{body.Batch}";
        string? tenant = null;
        if (!string.IsNullOrWhiteSpace(body.Device))
        {
            // A device outside the caller's tenants is answered as an unknown one, as every {id} route does.
            (var visible, tenant) = await visibility.CheckAsync(caller, body.Device.Trim(), cancellationToken);
            if (!visible)
            {
                await audit.RecordAsync(AuditActions.ClaimTokenIssue, target, tenant, AuditOutcome.Denied, "the device is unknown or outside the caller's tenants", cancellationToken);
                return LedgerRequests.Problem(LedgerFailure.NotFound("device", $"device: expected a device registered in the ledger, found '{LedgerFields.Printable(body.Device)}'"));
            }
        }
        else if (!string.IsNullOrWhiteSpace(body.Batch) && !caller.Scope.AllTenants)
        {
            // A batch token claims every device of the batch: all of them must be the caller's to give away.
            var batch = await ledger.QueryAsync(new DeviceQuery { Batch = body.Batch.Trim(), State = LifecycleState.Registered }, cancellationToken);
            var outside = batch.Where(device => !caller.Scope.Covers(device.Tenant)).Select(device => device.Tenant).Distinct(StringComparer.Ordinal).ToList();
            if (outside.Count > 0)
                return await LedgerEndpoints.OutsideTenantsAsync(audit, AuditActions.ClaimTokenIssue, target, caller, string.Join(", ", outside), cancellationToken);
            tenant = batch.Select(device => device.Tenant).Distinct(StringComparer.Ordinal).SingleOrDefault();
        }

        var result = await provisioning.IssueClaimTokenAsync(body with { By = LedgerActor.Of(context, body.By) }, cancellationToken);
        await audit.RecordAsync(AuditActions.ClaimTokenIssue, target, tenant, result, issued => $"valid until {issued.ExpiresAt:O}", cancellationToken);
        return result.Succeeded
            ? TypedResults.Json(result.Value, LedgerJson.Default.ClaimTokenIssued, statusCode: StatusCodes.Status201Created)
            : LedgerRequests.Problem(result.Failure);
    }

    private static async Task<IResult> ClaimAsync(string id, HttpContext context, DeviceProvisioning provisioning, IAuditTrail audit, CancellationToken cancellationToken)
    {
        var tenant = context.TenantOfDevice();
        var (body, problem) = await LedgerRequests.ReadAsync(context.Request, LedgerJson.Default.ClaimRequest, optional: false, cancellationToken);
        if (problem is not null)
        {
            await audit.RecordRefusalAsync(AuditActions.DeviceClaim, id, tenant, "the body is not a claim", cancellationToken);
            return problem;
        }

        var result = await provisioning.ClaimAsync(id, body! with { Installer = LedgerActor.Of(context, body.Installer) }, cancellationToken);
        await audit.RecordAsync(
            AuditActions.DeviceClaim, id, tenant, result,
            answer => $"installed by {answer.Device.Installer}" + (answer.Credential is { } credential ? $"; password credential {credential.Id} issued" : string.Empty),
            cancellationToken);
        if (result.Value?.Credential is { } issued)
            await audit.RecordAsync(AuditActions.CredentialIssue, id, tenant, AuditOutcome.Succeeded, $"password credential {issued.Id}, with the claim", cancellationToken);
        return result.Succeeded ? TypedResults.Json(result.Value, LedgerJson.Default.ClaimAnswer) : LedgerRequests.Problem(result.Failure);
    }
}
