using CivicEdge.Fleet.Contracts;
using CivicEdge.Fleet.Core;

namespace CivicEdge.Fleet.Server;

/// <summary>
/// <c>/api/events</c> and <c>/api/devices/{id}/events</c>: the events sources delivered, in a time window, oldest first
/// (the newest <c>limit</c> of them when more match). Bodies use <see cref="ContractsJson"/>; errors are RFC 9457
/// problem details.
/// </summary>
internal static class EventEndpoints
{
    private static readonly TimeSpan DefaultWindow = TimeSpan.FromDays(1);

    public static IEndpointRouteBuilder MapEventEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/api/events", AllEventsAsync);
        return endpoints;
    }

    /// <summary><c>GET /api/events?device=&amp;from=&amp;to=&amp;limit=</c>.</summary>
    private static Task<IResult> AllEventsAsync(
        string? device,
        string? from,
        string? to,
        string? limit,
        IFleetStore store,
        TimeProvider timeProvider,
        CancellationToken cancellationToken) =>
        QueryAsync(device, from, to, limit, store, timeProvider, cancellationToken);

    /// <summary><c>GET /api/devices/{id}/events?from=&amp;to=&amp;limit=</c>.</summary>
    public static Task<IResult> DeviceEventsAsync(
        string id,
        string? from,
        string? to,
        string? limit,
        IFleetStore store,
        TimeProvider timeProvider,
        CancellationToken cancellationToken) =>
        QueryAsync(id, from, to, limit, store, timeProvider, cancellationToken);

    private static async Task<IResult> QueryAsync(
        string? device,
        string? from,
        string? to,
        string? limit,
        IFleetStore store,
        TimeProvider timeProvider,
        CancellationToken cancellationToken)
    {
        var problems = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var toTime = DeviceEndpoints.ParseTime("to", to, problems) ?? timeProvider.GetUtcNow();
        var fromTime = DeviceEndpoints.ParseTime("from", from, problems) ?? toTime - DefaultWindow;
        var maxEvents = DeviceEndpoints.ParseLimit(limit, problems, "events");
        if (device is { Length: 0 })
            problems["device"] = ["device: expected a device id, found ''"];
        if (problems.Count == 0 && fromTime > toTime)
            problems["to"] = [$"to: expected a time not before from ({fromTime:O}), found {toTime:O}"];
        if (problems.Count > 0)
            return DeviceEndpoints.InvalidQuery(problems);

        var events = await store.GetEventsAsync(device, fromTime, toTime, maxEvents, cancellationToken);
        return TypedResults.Json(events, ContractsJson.Default.IReadOnlyListEventEntry);
    }
}
