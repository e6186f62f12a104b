using CivicEdge.Fleet.Contracts;
using CivicEdge.Fleet.Contracts.Access;
using CivicEdge.Fleet.Core;
using CivicEdge.Fleet.Core.Access;
using CivicEdge.Fleet.Server.Access;

namespace CivicEdge.Fleet.Server;

/// <summary>
/// <c>/api/events</c> and <c>/api/devices/{id}/events</c>: the events sources delivered, in a time window, oldest first
/// (the newest <c>limit</c> of them when more match). Bodies use <see cref="ContractsJson"/>; errors are RFC 9457
/// problem details. Events of devices outside the caller's tenants are left out.
/// </summary>
internal static class EventEndpoints
{
    private static readonly TimeSpan DefaultWindow = TimeSpan.FromDays(1);

    public static IEndpointRouteBuilder MapEventEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/api/events", AllEventsAsync)
            .RequirePermission(FleetPermission.ReadTelemetry)
            .WithSummary("The events of every device of the caller's tenants, or of one, in a time window, oldest first (the last day by default)")
            .Produces<IReadOnlyList<EventEntry>>()
            .ProducesValidationProblem();
        return endpoints;
    }

    /// <summary><c>GET /api/events?device=&amp;from=&amp;to=&amp;limit=</c>.</summary>
    private static Task<IResult> AllEventsAsync(
        string? device,
        string? from,
        string? to,
        string? limit,
        HttpContext context,
        IFleetStore store,
        DeviceVisibility visibility,
        TimeProvider timeProvider,
        CancellationToken cancellationToken) =>
        QueryAsync(device, from, to, limit, context, store, visibility, timeProvider, cancellationToken);

    /// <summary><c>GET /api/devices/{id}/events?from=&amp;to=&amp;limit=</c>.</summary>
    public static Task<IResult> DeviceEventsAsync(
        string id,
        string? from,
        string? to,
        string? limit,
        HttpContext context,
        IFleetStore store,
        DeviceVisibility visibility,
        TimeProvider timeProvider,
        CancellationToken cancellationToken) =>
        QueryAsync(id, from, to, limit, context, store, visibility, timeProvider, cancellationToken);

    private static async Task<IResult> QueryAsync(
        string? device,
        string? from,
        string? to,
        string? limit,
        HttpContext context,
        IFleetStore store,
        DeviceVisibility visibility,
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

        // Filtered after the limit: a tenant's caller may get fewer than limit events over a window that other tenants' devices crowd.
        var events = await store.GetEventsAsync(device, fromTime, toTime, maxEvents, cancellationToken);
        var visible = await visibility.FilterAsync(context.Caller(), events, entry => entry.DeviceId, cancellationToken);
        return TypedResults.Json(visible, ContractsJson.Default.IReadOnlyListEventEntry);
    }
}
