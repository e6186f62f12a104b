using System.Globalization;
using CivicEdge.Fleet.Contracts;
using CivicEdge.Fleet.Contracts.Access;
using CivicEdge.Fleet.Server.Access;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CivicEdge.Fleet.Server;

/// <summary>
/// <c>/api/devices/{id}/events</c>: what devices raised (the ledger's endpoints serve the devices themselves, their
/// telemetry <see cref="TelemetryEndpoints"/>). Bodies are written with the
/// <see cref="ContractsJson"/> context, the same wire format gateways and the CLI use; errors are RFC 9457 problem
/// details. A caller sees the devices of its tenants only; another tenant's device answers 404, like an unknown one.
/// </summary>
internal static class DeviceEndpoints
{
    public const int DefaultLimit = 500;
    public const int MaxLimit = 10_000;

    public static IEndpointRouteBuilder MapDeviceEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var devices = endpoints.MapGroup("/api/devices");
        devices.MapGet("/{id}/events", EventEndpoints.DeviceEventsAsync)
            .RequirePermission(FleetPermission.ReadTelemetry)
            .RequireDeviceScope()
            .WithSummary("The events of one device in a time window, oldest first (the last day by default)")
            .Produces<IReadOnlyList<EventEntry>>()
            .ProducesValidationProblem();
        return endpoints;
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
