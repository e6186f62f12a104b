using CivicEdge.Fleet.Contracts;
using CivicEdge.Fleet.Contracts.Access;
using CivicEdge.Fleet.Core;
using CivicEdge.Fleet.Core.Audit;
using CivicEdge.Fleet.Server.Access;

namespace CivicEdge.Fleet.Server;

/// <summary>
/// <c>/api/devices/{id}/twin</c>: a gateway's (or IP device's) twin. The fleet raises the desired version on every
/// change, stores it, and publishes it retained on <c>civic/v1/{id}/desired</c>; the device answers on
/// <c>civic/v1/{id}/reported</c>, which the fleet stores as received. Every change, and every refused one, is audited.
/// Errors are RFC 9457 problem details.
/// </summary>
internal static class TwinEndpoints
{
    public static IEndpointRouteBuilder MapTwinEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var twin = endpoints.MapGroup("/api/devices/{id}/twin");
        twin.MapGet("/", GetAsync)
            .RequirePermission(FleetPermission.ReadLedger)
            .RequireDeviceScope()
            .WithSummary("A device's twin: the desired state the fleet holds and the state the device reported")
            .Produces<DeviceTwin>();
        twin.MapPut("/desired", SetAsync)
            .RequirePermission(FleetPermission.ChangeTwin)
            .RequireDeviceScope()
            .WithSummary("Set the desired configuration: a new version, stored, then published retained to the device (202 when the broker is unreachable)")
            .Accepts<DesiredConfiguration>("application/json")
            .Produces<DesiredState>()
            .Produces<DesiredState>(StatusCodes.Status202Accepted)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status400BadRequest);
        twin.MapDelete("/desired", WithdrawAsync)
            .RequirePermission(FleetPermission.ChangeTwin)
            .RequireDeviceScope()
            .WithSummary("Withdraw the fleet's configuration: the device goes back to its local file")
            .Produces<DesiredState>()
            .Produces<DesiredState>(StatusCodes.Status202Accepted)
            .ProducesProblem(StatusCodes.Status400BadRequest);
        return endpoints;
    }

    private static async Task<IResult> GetAsync(string id, IFleetStore store, CancellationToken cancellationToken) =>
        await store.GetTwinAsync(id, cancellationToken) is { } twin
            ? TypedResults.Json(twin, ContractsJson.Default.DeviceTwin)
            : TypedResults.Problem(
                statusCode: StatusCodes.Status404NotFound,
                title: "No twin",
                detail: $"id: expected a device whose desired state was set or that reported its state, found '{id}'");

    private static async Task<IResult> SetAsync(
        string id,
        HttpRequest request,
        IFleetStore store,
        IDesiredStatePublisher publisher,
        IAuditTrail audit,
        TimeProvider timeProvider,
        CancellationToken cancellationToken)
    {
        var tenant = request.HttpContext.TenantOfDevice();
        if (!Topics.IsValidSegment(id))
        {
            await audit.RecordAsync(AuditActions.TwinSet, id, tenant, AuditOutcome.Failed, "not a usable device id", cancellationToken);
            return InvalidId(id);
        }

        using var body = new MemoryStream();
        await request.Body.CopyToAsync(body, cancellationToken);
        var configuration = DesiredConfigurationValidator.Read(body.GetBuffer().AsMemory(0, (int)body.Length), out var problems);
        if (configuration is null)
        {
            await audit.RecordAsync(
                AuditActions.TwinSet, id, tenant, AuditOutcome.Failed,
                "refused: " + string.Join("; ", problems.Values.SelectMany(messages => messages)), cancellationToken);
            return TypedResults.ValidationProblem(
                problems,
                detail: string.Join("; ", problems.Values.SelectMany(messages => messages)),
                title: "Invalid desired configuration");
        }

        var (result, summary) = await StoreAndPublishAsync(id, configuration, store, publisher, timeProvider, cancellationToken);
        await audit.RecordAsync(
            AuditActions.TwinSet, id, tenant, AuditOutcome.Succeeded,
            $"{summary}: {configuration.Devices.Count} devices, {configuration.Buses.Count} buses, {configuration.Profiles.Count} profiles", cancellationToken);
        return result;
    }

    private static async Task<IResult> WithdrawAsync(
        string id,
        HttpContext context,
        IFleetStore store,
        IDesiredStatePublisher publisher,
        IAuditTrail audit,
        TimeProvider timeProvider,
        CancellationToken cancellationToken)
    {
        var tenant = context.TenantOfDevice();
        if (!Topics.IsValidSegment(id))
        {
            await audit.RecordAsync(AuditActions.TwinWithdraw, id, tenant, AuditOutcome.Failed, "not a usable device id", cancellationToken);
            return InvalidId(id);
        }

        if (await store.GetTwinAsync(id, cancellationToken) is not { Desired.Configuration: not null })
        {
            await audit.RecordAsync(AuditActions.TwinWithdraw, id, tenant, AuditOutcome.Failed, "no desired configuration to withdraw", cancellationToken);
            return TypedResults.Problem(
                statusCode: StatusCodes.Status404NotFound,
                title: "No desired configuration",
                detail: $"id: expected a device with a desired configuration to withdraw, found none for '{id}'");
        }

        var (result, summary) = await StoreAndPublishAsync(id, null, store, publisher, timeProvider, cancellationToken);
        await audit.RecordAsync(AuditActions.TwinWithdraw, id, tenant, AuditOutcome.Succeeded, summary, cancellationToken);
        return result;
    }

    private static async Task<(IResult Result, string Summary)> StoreAndPublishAsync(
        string id,
        DesiredConfiguration? configuration,
        IFleetStore store,
        IDesiredStatePublisher publisher,
        TimeProvider timeProvider,
        CancellationToken cancellationToken)
    {
        var state = await store.SetDesiredAsync(id, configuration, timeProvider.GetUtcNow(), cancellationToken);

        // Stored first: a version the broker did not take now goes out when the fleet reconnects to it.
        var published = await publisher.PublishDesiredAsync(id, state, cancellationToken);
        return published
            ? (TypedResults.Json(state, ContractsJson.Default.DesiredState), $"desired version {state.Version} stored and published")
            : (TypedResults.Json(state, ContractsJson.Default.DesiredState, statusCode: StatusCodes.Status202Accepted),
                $"desired version {state.Version} stored; published when the broker is reachable");
    }

    private static IResult InvalidId(string id) =>
        TypedResults.Problem(
            statusCode: StatusCodes.Status400BadRequest,
            title: "Invalid device id",
            detail: $"id: expected a unified device code usable as one MQTT topic level (no '/', '+' or '#'), found '{id}'");
}
