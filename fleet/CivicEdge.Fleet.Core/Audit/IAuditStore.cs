using CivicEdge.Fleet.Contracts.Access;

namespace CivicEdge.Fleet.Core.Audit;

/// <summary>
/// The audit log's storage: append-only (seed requirements FR-36). There is no way to change or delete an entry
/// through it; retention, when a city sets one, is an archive job outside the fleet's API. One contract, several
/// engines; every implementation runs the same contract tests.
/// </summary>
public interface IAuditStore
{
    /// <summary>
    /// Appends <paramref name="entry"/> durably and gives it the next sequence number (its own
    /// <see cref="AuditEntry.Sequence"/> is ignored); when the task completes the entry is on disk.
    /// </summary>
    /// <returns>The entry as stored, with its sequence number and its time as kept (UTC, milliseconds).</returns>
    Task<AuditEntry> AppendAuditAsync(AuditEntry entry, CancellationToken cancellationToken);

    /// <summary>
    /// The entries that match <paramref name="query"/> (as <see cref="AuditQuery.Matches"/> says), in the order they
    /// were appended; when more match than its limit, the newest of them.
    /// </summary>
    Task<IReadOnlyList<AuditEntry>> QueryAuditAsync(AuditQuery query, CancellationToken cancellationToken);
}
