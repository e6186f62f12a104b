using CivicEdge.Fleet.Contracts.Access;
using CivicEdge.Fleet.Core.Audit;
using CivicEdge.Fleet.Server.Access;

namespace CivicEdge.Fleet.Server.Audit;

/// <summary>
/// <c>GET /api/audit?actor=&amp;target=&amp;action=&amp;outcome=&amp;from=&amp;to=&amp;limit=</c>: the audit log, oldest first
/// (the newest <c>limit</c> entries when more match; the last week by default). A tenant-scoped admin reads the
/// entries about its tenants' devices.
/// </summary>
internal static class AuditEndpoints
{
    private static readonly TimeSpan DefaultWindow = TimeSpan.FromDays(7);

    public static IEndpointRouteBuilder MapAuditEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/api/audit", QueryAsync)
            .RequirePermission(FleetPermission.ReadAudit)
            .WithSummary("The audit log: commands, configuration and twin changes, key and credential operations, refused requests")
            .Produces<IReadOnlyList<AuditEntry>>()
            .ProducesValidationProblem();
        return endpoints;
    }

    private static async Task<IResult> QueryAsync(
        string? actor,
        string? target,
        string? action,
        string? outcome,
        string? from,
        string? to,
        string? limit,
        HttpContext context,
        IAuditStore store,
        TimeProvider timeProvider,
        CancellationToken cancellationToken)
    {
        var problems = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var toTime = DeviceEndpoints.ParseTime("to", to, problems) ?? timeProvider.GetUtcNow();
        var fromTime = DeviceEndpoints.ParseTime("from", from, problems) ?? toTime - DefaultWindow;
        var maxEntries = DeviceEndpoints.ParseLimit(limit, problems, "entries");
        AuditOutcome? wanted = null;
        if (outcome is not null)
        {
            if (Enum.TryParse<AuditOutcome>(outcome, ignoreCase: true, out var parsed) && !int.TryParse(outcome, out _))
                wanted = parsed;
            else
                problems["outcome"] = [$"outcome: expected succeeded, failed or denied, found '{outcome}'"];
        }

        if (problems.Count == 0 && fromTime > toTime)
            problems["to"] = [$"to: expected a time not before from ({fromTime:O}), found {toTime:O}"];
        if (problems.Count > 0)
            return DeviceEndpoints.InvalidQuery(problems);

        var caller = context.Caller();
        var query = new AuditQuery(
            fromTime, toTime, maxEntries, Empty(actor), Empty(target), Empty(action), wanted,
            caller.Scope.AllTenants ? null : caller.Scope.Tenants);
        return TypedResults.Json(await store.QueryAuditAsync(query, cancellationToken), AccessJson.Default.IReadOnlyListAuditEntry);

        static string? Empty(string? text) => string.IsNullOrEmpty(text) ? null : text;
    }
}
