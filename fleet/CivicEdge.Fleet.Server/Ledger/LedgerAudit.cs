using CivicEdge.Fleet.Contracts.Access;
using CivicEdge.Fleet.Core.Audit;
using CivicEdge.Fleet.Core.Ledger;

namespace CivicEdge.Fleet.Server.Ledger;

/// <summary>One audit entry per ledger request, whether it changed the ledger or was refused, with what was done or why not.</summary>
internal static class LedgerAudit
{
    public static Task RecordAsync<T>(
        this IAuditTrail audit,
        string action,
        string target,
        string? tenant,
        LedgerResult<T> result,
        Func<T, string> done,
        CancellationToken cancellationToken)
        where T : class =>
        result.Succeeded
            ? audit.RecordAsync(action, target, tenant, AuditOutcome.Succeeded, done(result.Value!), cancellationToken)
            : audit.RecordAsync(action, target, tenant, AuditOutcome.Failed, $"refused: {result.Failure!.Detail}", cancellationToken);

    public static Task RecordRefusalAsync(this IAuditTrail audit, string action, string? target, string? tenant, string problem, CancellationToken cancellationToken) =>
        audit.RecordAsync(action, target, tenant, AuditOutcome.Failed, $"refused: {problem}", cancellationToken);
}
