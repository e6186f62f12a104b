using CivicEdge.Fleet.Contracts;
using CivicEdge.Fleet.Contracts.Access;
using CivicEdge.Fleet.Core;
using CivicEdge.Fleet.Server.Access;

namespace CivicEdge.Fleet.Server;

/// <summary><c>/api/gateways/{id}/health</c>: the latest health report a gateway published on <c>civic/v1/{id}/health</c>.</summary>
internal static class GatewayEndpoints
{
    public static IEndpointRouteBuilder MapGatewayEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/api/gateways/{id}/health", HealthAsync)
            .RequirePermission(FleetPermission.ReadTelemetry)
            .RequireDeviceScope()
            .WithSummary("The latest health report of a gateway: process, disk, outbox, uplink and a verdict per field device")
            .Produces<HealthReport>();
        return endpoints;
    }

    private static async Task<IResult> HealthAsync(string id, IFleetStore store, CancellationToken cancellationToken) =>
        await store.GetHealthAsync(id, cancellationToken) is { } report
            ? TypedResults.Json(report, ContractsJson.Default.HealthReport)
            : TypedResults.Problem(
                statusCode: StatusCodes.Status404NotFound,
                title: "No health report",
                detail: $"id: expected a gateway that has published a health report to this fleet, found '{id}'");
}
