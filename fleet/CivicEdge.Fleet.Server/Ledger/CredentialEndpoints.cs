using CivicEdge.Fleet.Contracts.Ledger;
using CivicEdge.Fleet.Core.Provisioning;

namespace CivicEdge.Fleet.Server.Ledger;

/// <summary>
/// <c>/api/devices/{id}/credentials</c>: list (never a secret), issue (a password shown once, or a certificate of the
/// fleet CA from a signing request or with a generated key), rotate (the old ones end after a grace period or at once)
/// and revoke (the device's broker sessions are cut).
/// </summary>
internal static class CredentialEndpoints
{
    public static IEndpointRouteBuilder MapCredentialEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var credentials = endpoints.MapGroup("/api/devices/{id}/credentials");
        credentials.MapGet("/", ListAsync);
        credentials.MapPost("/", IssueAsync);
        credentials.MapPost("/rotate", RotateAsync);
        credentials.MapPost("/revoke", RevokeAsync);
        return endpoints;
    }

    private static async Task<IResult> ListAsync(string id, DeviceCredentials credentials, CancellationToken cancellationToken)
    {
        var result = await credentials.ListAsync(id, cancellationToken);
        return result.Succeeded
            ? TypedResults.Json(result.Value, LedgerJson.Default.IReadOnlyListCredentialSummary)
            : LedgerRequests.Problem(result.Failure);
    }

    private static async Task<IResult> IssueAsync(string id, HttpRequest request, DeviceCredentials credentials, CancellationToken cancellationToken)
    {
        var (body, problem) = await LedgerRequests.ReadAsync(request, LedgerJson.Default.CredentialRequest, optional: false, cancellationToken);
        if (problem is not null)
            return problem;

        var result = await credentials.IssueAsync(id, body!, cancellationToken);
        return Issued(result);
    }

    private static async Task<IResult> RotateAsync(string id, HttpRequest request, DeviceCredentials credentials, CancellationToken cancellationToken)
    {
        var (body, problem) = await LedgerRequests.ReadAsync(request, LedgerJson.Default.CredentialRequest, optional: false, cancellationToken);
        if (problem is not null)
            return problem;

        return Issued(await credentials.RotateAsync(id, body!, cancellationToken));
    }

    private static async Task<IResult> RevokeAsync(string id, HttpRequest request, DeviceCredentials credentials, CancellationToken cancellationToken)
    {
        var (body, problem) = await LedgerRequests.ReadAsync(request, LedgerJson.Default.RevocationRequest, optional: false, cancellationToken);
        if (problem is not null)
            return problem;

        var result = await credentials.RevokeAsync(id, body!, cancellationToken);
        return result.Succeeded ? TypedResults.Json(result.Value, LedgerJson.Default.RevocationAnswer) : LedgerRequests.Problem(result.Failure);
    }

    private static IResult Issued(Core.Ledger.LedgerResult<IssuedCredential> result) =>
        result.Succeeded
            ? TypedResults.Json(result.Value, LedgerJson.Default.IssuedCredential, statusCode: StatusCodes.Status201Created)
            : LedgerRequests.Problem(result.Failure);
}
