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
    /// <summary>The most events read to fill one answer for a tenant's caller, whatever other tenants' crowd the window.</summary>
    public const int MaxScannedEvents = 200_000;

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

        var caller = context.Caller();
        if (caller.Sees(null))
            return TypedResults.Json(await store.GetEventsAsync(device, fromTime, toTime, maxEvents, cancellationToken), ContractsJson.Default.IReadOnlyListEventEntry);

        return TypedResults.Json(
            await VisibleEventsAsync(caller, device, fromTime, toTime, maxEvents, store, visibility, cancellationToken),
            ContractsJson.Default.IReadOnlyListEventEntry);
    }

    /// <summary>
    /// The newest <paramref name="limit"/> events the caller sees in the window, oldest first. Other tenants' events
    /// may crowd the newest ones, so the read widens (twice as many each time, up to <see cref="MaxScannedEvents"/>)
    /// until it holds enough of the caller's, or the window has no more.
    /// </summary>
    private static async Task<IReadOnlyList<EventEntry>> VisibleEventsAsync(
        FleetCaller caller,
        string? device,
        DateTimeOffset from,
        DateTimeOffset to,
        int limit,
        IFleetStore store,
        DeviceVisibility visibility,
        CancellationToken cancellationToken)
    {
        for (var scan = limit; ; scan = (int)Math.Min(2L * scan, MaxScannedEvents))
        {
            var events = await store.GetEventsAsync(device, from, to, scan, cancellationToken);
            var visible = await visibility.FilterAsync(caller, events, entry => entry.DeviceId, cancellationToken);
            if (visible.Count >= limit || events.Count < scan || scan >= MaxScannedEvents)
                return visible.Count > limit ? visible.Skip(visible.Count - limit).ToList() : visible;
        }
    }
}
