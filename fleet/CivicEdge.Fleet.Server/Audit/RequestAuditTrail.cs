using System.Diagnostics;
using CivicEdge.Fleet.Contracts.Access;
using CivicEdge.Fleet.Core.Access;
using CivicEdge.Fleet.Core.Audit;
using CivicEdge.Fleet.Server.Access;

namespace CivicEdge.Fleet.Server.Audit;

/// <summary>
/// The audit trail of the fleet: fills each entry with who (the request's caller, or <c>system</c> outside a request),
/// when, the source IP and the correlation id (the W3C trace id of the request), and appends it to the store.
/// </summary>
internal sealed partial class RequestAuditTrail(
    IAuditStore store,
    IHttpContextAccessor accessor,
    TimeProvider timeProvider,
    ILogger<RequestAuditTrail> logger) : IAuditTrail
{
    public const string SystemActor = "system";

    public Task RecordAsync(string action, string? target, string? tenant, AuditOutcome outcome, string? detail, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(action);
        var context = accessor.HttpContext;
        FleetCaller? caller = null;
        if (context is not null)
            FleetClaims.TryGetCaller(context.User, out caller);

        return AppendAsync(
            context,
            caller?.Name ?? SystemActor,
            caller?.Role,
            caller?.Scope.ToList() ?? [],
            action,
            target,
            tenant,
            outcome,
            detail);
    }

    /// <summary>Records a refused request: its path is the target, the status and reason the detail.</summary>
    public Task RecordDenialAsync(HttpContext context, string actor, FleetRole? role, TenantScope? scope, int status, string reason) =>
        AppendAsync(
            context,
            actor,
            role,
            scope?.ToList() ?? [],
            AuditActions.AccessDenied,
            context.Request.Path,
            null,
            AuditOutcome.Denied,
            $"{status} {context.Request.Method} {context.Request.Path}{context.Request.QueryString}: {reason}");

    private async Task AppendAsync(
        HttpContext? context,
        string actor,
        FleetRole? role,
        IReadOnlyList<string> actorTenants,
        string action,
        string? target,
        string? tenant,
        AuditOutcome outcome,
        string? detail)
    {
        var entry = new AuditEntry(
            0,
            timeProvider.GetUtcNow(),
            actor,
            role,
            actorTenants,
            action,
            target,
            tenant,
            outcome,
            detail,
            context?.Connection.RemoteIpAddress?.ToString(),
            Activity.Current?.TraceId.ToString() ?? context?.TraceIdentifier);
        // Not the request's token: a change already made, or a refusal, is recorded even if the caller has gone away.
        var stored = await store.AppendAuditAsync(entry, CancellationToken.None).ConfigureAwait(false);
        LogAudited(logger, stored.Sequence, stored.Action, stored.Actor, stored.Target, stored.Outcome);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Audit #{Sequence}: {Action} by {Actor} on {Target}: {Outcome}")]
    private static partial void LogAudited(ILogger logger, long sequence, string action, string actor, string? target, AuditOutcome outcome);
}
