using CivicEdge.Fleet.Contracts.Access;

namespace CivicEdge.Fleet.Core.Audit;

/// <summary>
/// How a feature writes the audit log: one call naming what was done to what and how it ended. Who, role, tenants,
/// time, source IP and correlation id are filled in from the request being served (or <c>system</c> outside one).
/// </summary>
/// <example><c>await audit.RecordAsync(AuditActions.TwinSet, id, tenant, AuditOutcome.Succeeded, $"version {state.Version}", cancellationToken);</c></example>
public interface IAuditTrail
{
    /// <summary>Appends one entry; completes when it is durable.</summary>
    /// <param name="action">One of <see cref="AuditActions"/>.</param>
    /// <param name="target">What it was done to: a device id, a key id.</param>
    /// <param name="tenant">The tenant owning the target, when known.</param>
    /// <param name="outcome">How it ended.</param>
    /// <param name="detail">A sentence for people: the new version, the reason for a refusal.</param>
    /// <param name="cancellationToken">
    /// The caller's token. It does not skip the entry: what happened is recorded even when the request that did it was
    /// aborted meanwhile.
    /// </param>
    Task RecordAsync(string action, string? target, string? tenant, AuditOutcome outcome, string? detail, CancellationToken cancellationToken);
}
