using CivicEdge.Fleet.Contracts;
using CivicEdge.Fleet.Core;

namespace CivicEdge.Fleet.Server;

/// <summary>
/// <c>/api/devices/{id}/twin</c>: a gateway's (or IP device's) twin. The fleet raises the desired version on every
/// change, stores it, and publishes it retained on <c>civic/v1/{id}/desired</c>; the device answers on
/// <c>civic/v1/{id}/reported</c>, which the fleet stores as received. Errors are RFC 9457 problem details.
/// </summary>
internal static class TwinEndpoints
{
    public static IEndpointRouteBuilder MapTwinEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var twin = endpoints.MapGroup("/api/devices/{id}/twin");
        twin.MapGet("/", GetAsync);
        twin.MapPut("/desired", SetAsync);
        twin.MapDelete("/desired", WithdrawAsync);
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
        TimeProvider timeProvider,
        CancellationToken cancellationToken)
    {
        if (!Topics.IsValidSegment(id))
            return InvalidId(id);

        using var body = new MemoryStream();
        await request.Body.CopyToAsync(body, cancellationToken);
        var configuration = DesiredConfigurationValidator.Read(body.GetBuffer().AsMemory(0, (int)body.Length), out var problems);
        if (configuration is null)
        {
            return TypedResults.ValidationProblem(
                problems,
                detail: string.Join("; ", problems.Values.SelectMany(messages => messages)),
                title: "Invalid desired configuration");
        }

        return await StoreAndPublishAsync(id, configuration, store, publisher, timeProvider, cancellationToken);
    }

    private static async Task<IResult> WithdrawAsync(
        string id,
        IFleetStore store,
        IDesiredStatePublisher publisher,
        TimeProvider timeProvider,
        CancellationToken cancellationToken)
    {
        if (!Topics.IsValidSegment(id))
            return InvalidId(id);
        if (await store.GetTwinAsync(id, cancellationToken) is not { Desired.Configuration: not null })
        {
            return TypedResults.Problem(
                statusCode: StatusCodes.Status404NotFound,
                title: "No desired configuration",
                detail: $"id: expected a device with a desired configuration to withdraw, found none for '{id}'");
        }

        return await StoreAndPublishAsync(id, null, store, publisher, timeProvider, cancellationToken);
    }

    private static async Task<IResult> StoreAndPublishAsync(
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
            ? TypedResults.Json(state, ContractsJson.Default.DesiredState)
            : TypedResults.Json(state, ContractsJson.Default.DesiredState, statusCode: StatusCodes.Status202Accepted);
    }

    private static IResult InvalidId(string id) =>
        TypedResults.Problem(
            statusCode: StatusCodes.Status400BadRequest,
            title: "Invalid device id",
            detail: $"id: expected a unified device code usable as one MQTT topic level (no '/', '+' or '#'), found '{id}'");
}
