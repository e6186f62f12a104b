using System.Globalization;
using CivicEdge.Fleet.Contracts;
using CivicEdge.Fleet.Contracts.Access;
using CivicEdge.Fleet.Core;
using CivicEdge.Fleet.Server.Access;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CivicEdge.Fleet.Server;

/// <summary>
/// <c>/api/devices/{id}/telemetry</c> and <c>…/events</c>: what devices reported (the ledger's endpoints serve the
/// devices themselves). Bodies are written with the
/// <see cref="ContractsJson"/> context, the same wire format gateways and the CLI use; errors are RFC 9457 problem
/// details. A caller sees the devices of its tenants only; another tenant's device answers 404, like an unknown one.
/// </summary>
internal static class DeviceEndpoints
{
    public const int DefaultLimit = 500;
    public const int MaxLimit = 10_000;

    private static readonly TimeSpan DefaultWindow = TimeSpan.FromHours(1);

    public static IEndpointRouteBuilder MapDeviceEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var devices = endpoints.MapGroup("/api/devices");
        devices.MapGet("/{id}/telemetry", TelemetryAsync)
            .RequirePermission(FleetPermission.ReadTelemetry)
            .RequireDeviceScope()
            .WithSummary("The latest value of every point of a device and a series per point in a time window (the last hour by default)")
            .Produces<DeviceTelemetry>()
            .ProducesValidationProblem();
        devices.MapGet("/{id}/events", EventEndpoints.DeviceEventsAsync)
            .RequirePermission(FleetPermission.ReadTelemetry)
            .RequireDeviceScope()
            .WithSummary("The events of one device in a time window, oldest first (the last day by default)")
            .Produces<IReadOnlyList<EventEntry>>()
            .ProducesValidationProblem();
        return endpoints;
    }

    private static async Task<IResult> TelemetryAsync(
        string id,
        string? from,
        string? to,
        string? limit,
        IFleetStore store,
        LiveValues live,
        TimeProvider timeProvider,
        CancellationToken cancellationToken)
    {
        var problems = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var toTime = ParseTime("to", to, problems) ?? timeProvider.GetUtcNow();
        var fromTime = ParseTime("from", from, problems) ?? toTime - DefaultWindow;
        var maxSamples = ParseLimit(limit, problems);
        if (problems.Count == 0 && fromTime > toTime)
            problems["to"] = [$"to: expected a time not before from ({fromTime:O}), found {toTime:O}"];
        if (problems.Count > 0)
            return InvalidQuery(problems);

        if (await store.FindDeviceAsync(id, cancellationToken) is null)
            return DeviceNotFound(id);

        var latest = live.Overlay(id, await store.GetLatestValuesAsync(id, cancellationToken));
        var series = await store.GetSeriesAsync(id, fromTime, toTime, maxSamples, cancellationToken);
        return TypedResults.Json(
            new DeviceTelemetry(id, fromTime, toTime, latest, series),
            ContractsJson.Default.DeviceTelemetry);
    }

    internal static DateTimeOffset? ParseTime(string name, string? value, Dictionary<string, string[]> problems)
    {
        if (value is null)
            return null;

        if (DateTimeOffset.TryParse(
                value,
                CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal,
                out var time))
        {
            return time;
        }

        problems[name] = [$"{name}: expected an ISO 8601 time such as 2026-11-22T10:00:00Z, found '{value}'"];
        return null;
    }

    internal static int ParseLimit(string? value, Dictionary<string, string[]> problems, string what = "samples per point")
    {
        if (value is null)
            return DefaultLimit;

        if (int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var limit) && limit is >= 1 and <= MaxLimit)
            return limit;

        problems["limit"] = [$"limit: expected a whole number of {what} from 1 to {MaxLimit}, found '{value}'"];
        return DefaultLimit;
    }

    internal static ProblemHttpResult DeviceNotFound(string id) =>
        TypedResults.Problem(
            statusCode: StatusCodes.Status404NotFound,
            title: "Unknown device",
            detail: $"id: expected a device that has reported telemetry to this fleet, found '{id}'");

    internal static ValidationProblem InvalidQuery(Dictionary<string, string[]> problems) =>
        TypedResults.ValidationProblem(
            problems,
            detail: string.Join("; ", problems.Values.SelectMany(messages => messages)),
            title: "Invalid query parameter");
}
