using CivicEdge.Fleet.Contracts.Ledger;
using CivicEdge.Fleet.Core.Provisioning;

namespace CivicEdge.Fleet.Server.Ledger;

/// <summary>
/// Claiming devices on site: <c>POST /api/claim-tokens</c> issues a short-lived token for a device or a batch (shown
/// once), <c>POST /api/devices/{id}/claim</c> spends it, moving the device to installed.
/// </summary>
internal static class ProvisioningEndpoints
{
    public static IEndpointRouteBuilder MapProvisioningEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost("/api/claim-tokens", IssueTokenAsync);
        endpoints.MapPost("/api/devices/{id}/claim", ClaimAsync);
        return endpoints;
    }

    private static async Task<IResult> IssueTokenAsync(HttpRequest request, DeviceProvisioning provisioning, CancellationToken cancellationToken)
    {
        var (body, problem) = await LedgerRequests.ReadAsync(request, LedgerJson.Default.ClaimTokenRequest, optional: false, cancellationToken);
        if (problem is not null)
            return problem;

        var result = await provisioning.IssueClaimTokenAsync(body!, cancellationToken);
        return result.Succeeded
            ? TypedResults.Json(result.Value, LedgerJson.Default.ClaimTokenIssued, statusCode: StatusCodes.Status201Created)
            : LedgerRequests.Problem(result.Failure);
    }

    private static async Task<IResult> ClaimAsync(string id, HttpRequest request, DeviceProvisioning provisioning, CancellationToken cancellationToken)
    {
        var (body, problem) = await LedgerRequests.ReadAsync(request, LedgerJson.Default.ClaimRequest, optional: false, cancellationToken);
        if (problem is not null)
            return problem;

        var result = await provisioning.ClaimAsync(id, body!, cancellationToken);
        return result.Succeeded ? TypedResults.Json(result.Value, LedgerJson.Default.ClaimAnswer) : LedgerRequests.Problem(result.Failure);
    }
}
