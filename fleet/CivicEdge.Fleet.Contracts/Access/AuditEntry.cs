namespace CivicEdge.Fleet.Contracts.Access;

/// <summary>
/// One line of the audit log (seed requirements FR-36: 「数据操作全程留痕审计」): who did what to which target, when,
/// from where and how it ended. Entries are appended and never changed.
/// </summary>
/// <param name="Sequence">The entry's place in the log, 1, 2, 3, …, given by the store when appended (0 before).</param>
/// <param name="Time">When it happened (UTC, millisecond precision).</param>
/// <param name="Actor">Who: an API key (<c>key:&lt;id&gt; (&lt;name&gt;)</c>), a person from the identity provider, <c>anonymous</c> or <c>system</c>.</param>
/// <param name="Role">The actor's role; null when unauthenticated or the fleet itself.</param>
/// <param name="ActorTenants">The tenants the actor acts for; <c>*</c> for city-wide.</param>
/// <param name="Action">What, as a dotted name such as <c>twin.set</c> or <c>access.denied</c>.</param>
/// <param name="Target">What it was done to: a device id, a key id, a request path.</param>
/// <param name="Tenant">The tenant owning the target, when known.</param>
/// <param name="Outcome">How it ended.</param>
/// <param name="Detail">A sentence for people: the new version, the reason for a refusal.</param>
/// <param name="SourceIp">The caller's IP address, when it came over the network.</param>
/// <param name="CorrelationId">The request's trace id, to find the same request in logs and traces.</param>
public sealed record AuditEntry(
    long Sequence,
    DateTimeOffset Time,
    string Actor,
    FleetRole? Role,
    IReadOnlyList<string> ActorTenants,
    string Action,
    string? Target,
    string? Tenant,
    AuditOutcome Outcome,
    string? Detail,
    string? SourceIp,
    string? CorrelationId);
