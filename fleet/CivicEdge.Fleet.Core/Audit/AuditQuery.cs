using CivicEdge.Fleet.Contracts.Access;

namespace CivicEdge.Fleet.Core.Audit;

/// <summary>Which audit entries to read; every criterion given must hold.</summary>
/// <param name="From">Entries at or after this time.</param>
/// <param name="To">Entries at or before this time.</param>
/// <param name="Limit">The most entries returned: the newest this many when more match.</param>
/// <param name="Actor">Entries whose actor contains this text (ordinal, case-insensitive), e.g. a key id.</param>
/// <param name="Target">Entries about exactly this target.</param>
/// <param name="Action">Entries of exactly this action, or of a family when it ends in <c>.</c> (e.g. <c>twin.</c>).</param>
/// <param name="Outcome">Entries with this outcome.</param>
/// <param name="Tenants">Entries whose target's tenant is one of these; null for every entry, with or without tenant.</param>
public sealed record AuditQuery(
    DateTimeOffset From,
    DateTimeOffset To,
    int Limit,
    string? Actor = null,
    string? Target = null,
    string? Action = null,
    AuditOutcome? Outcome = null,
    IReadOnlySet<string>? Tenants = null)
{
    /// <summary>True when <paramref name="entry"/> meets every criterion: the reference every store's query must agree with.</summary>
    public bool Matches(AuditEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return entry.Time >= From && entry.Time <= To
            && (Actor is null || entry.Actor.Contains(Actor, StringComparison.OrdinalIgnoreCase))
            && (Target is null || string.Equals(entry.Target, Target, StringComparison.Ordinal))
            && (Action is null || (Action.EndsWith('.') ? entry.Action.StartsWith(Action, StringComparison.Ordinal) : entry.Action == Action))
            && (Outcome is null || entry.Outcome == Outcome)
            && (Tenants is null || (entry.Tenant is not null && Tenants.Contains(entry.Tenant)));
    }
}
