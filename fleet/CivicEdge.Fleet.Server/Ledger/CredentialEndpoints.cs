using CivicEdge.Fleet.Contracts.Access;
using CivicEdge.Fleet.Contracts.Ledger;
using CivicEdge.Fleet.Core.Audit;
using CivicEdge.Fleet.Core.Ledger;
using CivicEdge.Fleet.Core.Provisioning;
using CivicEdge.Fleet.Server.Access;

namespace CivicEdge.Fleet.Server.Ledger;

/// <summary>
/// <c>/api/devices/{id}/credentials</c>: list (never a secret), issue (a password shown once, or a certificate of the
/// fleet CA from a signing request or with a generated key), rotate (the old ones end after a grace period or at once)
/// and revoke (the device's broker sessions are cut). Who issued or revoked is the authenticated caller; every
/// operation, refused ones too, is audited.
/// </summary>
internal static class CredentialEndpoints
{
    public static IEndpointRouteBuilder MapCredentialEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var credentials = endpoints.MapGroup("/api/devices/{id}/credentials");
        credentials.MapGet("/", ListAsync)
            .RequirePermission(FleetPermission.ManageCredentials)
            .RequireDeviceScope()
            .WithSummary("A device's credentials, oldest first: kind, issue, expiry, revocation (never a secret)")
            .Produces<IReadOnlyList<CredentialSummary>>();
        credentials.MapPost("/", IssueAsync)
            .RequirePermission(FleetPermission.ManageCredentials)
            .RequireDeviceScope()
            .WithSummary("Issue a credential: a password (shown once) or a certificate of the fleet CA")
            .Accepts<CredentialRequest>("application/json")
            .Produces<IssuedCredential>(StatusCodes.Status201Created)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status409Conflict);
        credentials.MapPost("/rotate", RotateAsync)
            .RequirePermission(FleetPermission.ManageCredentials)
            .RequireDeviceScope()
            .WithSummary("Issue a new credential; the ones it replaces end after a grace period, or at once")
            .Accepts<CredentialRequest>("application/json")
            .Produces<IssuedCredential>(StatusCodes.Status201Created)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status409Conflict);
        credentials.MapPost("/revoke", RevokeAsync)
            .RequirePermission(FleetPermission.ManageCredentials)
            .RequireDeviceScope()
            .WithSummary("Revoke one credential or all of a device's, cutting its broker sessions")
            .Accepts<RevocationRequest>("application/json")
            .Produces<RevocationAnswer>()
            .ProducesValidationProblem();
        return endpoints;
    }

    private static async Task<IResult> ListAsync(string id, DeviceCredentials credentials, CancellationToken cancellationToken)
    {
        var result = await credentials.ListAsync(id, cancellationToken);
        return result.Succeeded
            ? TypedResults.Json(result.Value, LedgerJson.Default.IReadOnlyListCredentialSummary)
            : LedgerRequests.Problem(result.Failure);
    }

    private static async Task<IResult> IssueAsync(string id, HttpContext context, DeviceCredentials credentials, IAuditTrail audit, CancellationToken cancellationToken)
    {
        var tenant = context.TenantOfDevice();
        var (body, problem) = await LedgerRequests.ReadAsync(context.Request, LedgerJson.Default.CredentialRequest, optional: false, cancellationToken);
        if (problem is not null)
        {
            await audit.RecordRefusalAsync(AuditActions.CredentialIssue, id, tenant, "the body is not a credential request", cancellationToken);
            return problem;
        }

        var result = await credentials.IssueAsync(id, body! with { By = LedgerActor.Of(context, body.By) }, cancellationToken);
        await audit.RecordAsync(AuditActions.CredentialIssue, id, tenant, result, Describe, cancellationToken);
        return Issued(result);
    }

    private static async Task<IResult> RotateAsync(string id, HttpContext context, DeviceCredentials credentials, IAuditTrail audit, CancellationToken cancellationToken)
    {
        var tenant = context.TenantOfDevice();
        var (body, problem) = await LedgerRequests.ReadAsync(context.Request, LedgerJson.Default.CredentialRequest, optional: false, cancellationToken);
        if (problem is not null)
        {
            await audit.RecordRefusalAsync(AuditActions.CredentialRotate, id, tenant, "the body is not a credential request", cancellationToken);
            return problem;
        }

        var result = await credentials.RotateAsync(id, body! with { By = LedgerActor.Of(context, body.By) }, cancellationToken);
        await audit.RecordAsync(
            AuditActions.CredentialRotate, id, tenant, result,
            issued => Describe(issued) + (body.RevokeOld == true ? "; the old ones revoked at once" : "; the old ones end after the grace period"),
            cancellationToken);
        return Issued(result);
    }

    private static async Task<IResult> RevokeAsync(string id, HttpContext context, DeviceCredentials credentials, IAuditTrail audit, CancellationToken cancellationToken)
    {
        var tenant = context.TenantOfDevice();
        var (body, problem) = await LedgerRequests.ReadAsync(context.Request, LedgerJson.Default.RevocationRequest, optional: false, cancellationToken);
        if (problem is not null)
        {
            await audit.RecordRefusalAsync(AuditActions.CredentialRevoke, id, tenant, "the body is not a revocation", cancellationToken);
            return problem;
        }

        var result = await credentials.RevokeAsync(id, body! with { By = LedgerActor.Of(context, body.By) }, cancellationToken);
        await audit.RecordAsync(
            AuditActions.CredentialRevoke, id, tenant, result,
            answer => $"revoked {(answer.Revoked.Count == 0 ? "none" : string.Join(", ", answer.Revoked.Select(revoked => revoked.Id)))}; {answer.SessionsClosed} sessions closed"
                + (body.Reason is { Length: > 0 } reason ? $": {reason}" : string.Empty),
            cancellationToken);
        return result.Succeeded ? TypedResults.Json(result.Value, LedgerJson.Default.RevocationAnswer) : LedgerRequests.Problem(result.Failure);
    }

    private static string Describe(IssuedCredential issued) =>
        $"{LedgerNames.Of(issued.Kind)} credential {issued.Id}" + (issued.ExpiresAt is { } expires ? $", valid until {expires:O}" : string.Empty);

    private static IResult Issued(LedgerResult<IssuedCredential> result) =>
        result.Succeeded
            ? TypedResults.Json(result.Value, LedgerJson.Default.IssuedCredential, statusCode: StatusCodes.Status201Created)
            : LedgerRequests.Problem(result.Failure);
}
