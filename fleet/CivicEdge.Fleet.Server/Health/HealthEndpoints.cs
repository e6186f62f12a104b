using CivicEdge.Fleet.Contracts.Access;
using CivicEdge.Fleet.Contracts.Health;
using CivicEdge.Fleet.Contracts.Ledger;
using CivicEdge.Fleet.Core.Access;
using CivicEdge.Fleet.Core.Health;
using CivicEdge.Fleet.Server.Access;

namespace CivicEdge.Fleet.Server.Health;

/// <summary>
/// <c>/api/health</c>: roll-ups, the health of every device, the plans' assessment figures, and
/// <c>/api/devices/{id}/health</c>. Everything is limited to the devices of the caller's tenants before it is counted.
/// Bodies use <see cref="HealthJson"/>; errors are RFC 9457 problem details naming the parameter.
/// </summary>
internal static class HealthEndpoints
{
    private static readonly string[] FilterParameters = ["tenant", "district", "kind"];
    private static readonly string[] ListParameters = ["state", "verdict", "tenant", "district", "kind"];
    private static readonly string[] AssessmentParameters = ["district", "tenant"];

    public static IEndpointRouteBuilder MapHealthEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/api/health", RollupAsync)
            .RequirePermission(FleetPermission.ReadAggregates)
            .WithSummary("Devices per connectivity state and verdict, in total and by tenant, district and kind, of the caller's tenants")
            .Produces<HealthRollup>()
            .ProducesValidationProblem();
        endpoints.MapGet("/api/health/devices", ListAsync)
            .RequirePermission(FleetPermission.ReadTelemetry)
            .WithSummary("The health of every device of the caller's tenants: connectivity, verdict and reasons; filters by state, verdict, tenant, district and kind")
            .Produces<IReadOnlyList<DeviceHealthStatus>>()
            .ProducesValidationProblem();
        endpoints.MapGet("/api/health/assessment", AssessmentAsync)
            .RequirePermission(FleetPermission.ReadAggregates)
            .WithSummary("The plans' assessment figures per district and owner: working smart lighting, meters reporting, pipe sensors online")
            .Produces<PlanAssessment>()
            .ProducesValidationProblem();
        endpoints.MapGet("/api/devices/{id}/health", DeviceAsync)
            .RequirePermission(FleetPermission.ReadTelemetry)
            .RequireDeviceScope()
            .WithSummary("One device's health: its cadence, when it was last heard from, connectivity, verdict and every reason")
            .Produces<DeviceHealthStatus>()
            .ProducesProblem(StatusCodes.Status404NotFound);
        return endpoints;
    }

    private static async Task<IResult> RollupAsync(HttpContext context, FleetHealth health, DeviceVisibility visibility, CancellationToken cancellationToken)
    {
        var query = new HealthQuery(context.Request.Query, FilterParameters);
        var filter = ReadFilter(query);
        if (query.Problems.Count > 0)
            return DeviceEndpoints.InvalidQuery(query.Problems);

        var snapshot = await health.SnapshotAsync(cancellationToken);
        var devices = await VisibleAsync(context, health.Assessor.AssessAll(snapshot), visibility, cancellationToken);
        return TypedResults.Json(HealthRollups.Build(devices.Where(filter.Matches).ToList(), snapshot.At), HealthJson.Default.HealthRollup);
    }

    private static async Task<IResult> ListAsync(HttpContext context, FleetHealth health, DeviceVisibility visibility, CancellationToken cancellationToken)
    {
        var query = new HealthQuery(context.Request.Query, ListParameters);
        var filter = ReadFilter(query);
        var state = query.Enumeration<ConnectivityState>("state");
        var verdict = query.Enumeration<DeviceVerdict>("verdict");
        if (query.Problems.Count > 0)
            return DeviceEndpoints.InvalidQuery(query.Problems);

        var devices = await VisibleAsync(context, await health.AssessAllAsync(cancellationToken), visibility, cancellationToken);
        IReadOnlyList<DeviceHealthStatus> selected = devices
            .Where(d => filter.Matches(d) && (state is null || d.State == state) && (verdict is null || d.Verdict == verdict))
            .ToList();
        return TypedResults.Json(selected, HealthJson.Default.IReadOnlyListDeviceHealthStatus);
    }

    private static async Task<IResult> AssessmentAsync(
        HttpContext context, FleetHealth health, PlanFigures figures, DeviceVisibility visibility, CancellationToken cancellationToken)
    {
        var query = new HealthQuery(context.Request.Query, AssessmentParameters);
        var filter = new Filter(query.Text("tenant"), query.Text("district"), null);
        if (query.Problems.Count > 0)
            return DeviceEndpoints.InvalidQuery(query.Problems);

        var snapshot = await health.SnapshotAsync(cancellationToken);
        var devices = (await VisibleAsync(context, health.Assessor.AssessAll(snapshot), visibility, cancellationToken)).Where(filter.Matches).ToList();
        return TypedResults.Json(figures.Assess(devices, snapshot.Ledger, snapshot.OpenAlarms, snapshot.At), HealthJson.Default.PlanAssessment);
    }

    private static async Task<IResult> DeviceAsync(string id, FleetHealth health, CancellationToken cancellationToken) =>
        await health.AssessAsync(id, cancellationToken) is { } status
            ? TypedResults.Json(status, HealthJson.Default.DeviceHealthStatus)
            : DeviceEndpoints.DeviceNotFound(id);

    private static Filter ReadFilter(HealthQuery query) =>
        new(query.Text("tenant"), query.Text("district"), query.Enumeration<DeviceKind>("kind"));

    private static Task<IReadOnlyList<DeviceHealthStatus>> VisibleAsync(
        HttpContext context, IReadOnlyList<DeviceHealthStatus> devices, DeviceVisibility visibility, CancellationToken cancellationToken) =>
        visibility.FilterAsync(context.Caller(), devices, d => d.Device, cancellationToken);

    /// <summary>The tenant, district and kind a request narrows to (null: any); districts compare without regard to case.</summary>
    private sealed record Filter(string? Tenant, string? District, DeviceKind? Kind)
    {
        public bool Matches(DeviceHealthStatus device) =>
            (Tenant is null || string.Equals(device.Tenant, Tenant, StringComparison.Ordinal))
            && (District is null || string.Equals(device.District, District, StringComparison.OrdinalIgnoreCase))
            && (Kind is null || device.Kind == Kind);
    }
}
