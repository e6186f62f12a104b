using CivicEdge.Fleet.Contracts.Alarms;

namespace CivicEdge.Fleet.Core.Alarms;

/// <summary>
/// Where the fleet keeps alarms. One contract, several engines (embedded LiteDB, PostgreSQL); every implementation
/// runs the same contract tests (<c>AlarmStoreContractTests</c>).
/// </summary>
/// <remarks>
/// At most one alarm per (device, type) is open (raised, acknowledged or assigned) at any time, whatever the number of
/// fleet nodes: a store refuses to add a second. Changes are optimistic: each update names the revision it read, and
/// a store refuses it when the stored revision differs. Times go in and come out as UTC, kept to the millisecond at least.
/// </remarks>
public interface IAlarmStore
{
    /// <summary>
    /// Adds <paramref name="alarm"/> with the next id (1, 2, 3, …; its own <see cref="Alarm.Id"/> is ignored); null
    /// and nothing written when an open alarm of the same device and type is held.
    /// </summary>
    Task<Alarm?> TryAddAlarmAsync(Alarm alarm, CancellationToken cancellationToken);

    /// <summary>The alarm with this id, or null.</summary>
    Task<Alarm?> FindAlarmAsync(long id, CancellationToken cancellationToken);

    /// <summary>The open alarm of <paramref name="device"/> of <paramref name="type"/>, or null.</summary>
    Task<Alarm?> FindOpenAlarmAsync(string device, string type, CancellationToken cancellationToken);

    /// <summary>
    /// Replaces the alarm of <paramref name="alarm"/>'s id with it if its stored revision is still
    /// <paramref name="expectedRevision"/>; false (and nothing written) when it is not, or the id is unknown.
    /// </summary>
    Task<bool> TryUpdateAlarmAsync(Alarm alarm, long expectedRevision, CancellationToken cancellationToken);

    /// <summary>The alarms <see cref="AlarmQuery.Matches"/> selects, newest (highest id) first, at most <see cref="AlarmQuery.Limit"/>.</summary>
    Task<IReadOnlyList<Alarm>> QueryAlarmsAsync(AlarmQuery query, CancellationToken cancellationToken);
}
