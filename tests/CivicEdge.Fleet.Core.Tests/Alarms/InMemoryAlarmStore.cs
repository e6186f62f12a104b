using CivicEdge.Fleet.Contracts.Alarms;
using CivicEdge.Fleet.Core.Alarms;

namespace CivicEdge.Fleet.Core.Tests.Alarms;

/// <summary>The alarm store's contract in memory: one open alarm per condition, optimistic revisions.</summary>
internal sealed class InMemoryAlarmStore : IAlarmStore
{
    private readonly Dictionary<long, Alarm> _alarms = [];

    /// <summary>Runs once before the next update is checked: another writer getting in between a read and a write.</summary>
    public Action? BeforeNextUpdate { get; set; }

    public IReadOnlyList<Alarm> All => _alarms.Values.OrderBy(a => a.Id).ToList();

    public Task<Alarm?> TryAddAlarmAsync(Alarm alarm, CancellationToken cancellationToken)
    {
        if (alarm.IsOpen && Open(alarm.Device, alarm.Type) is not null)
            return Task.FromResult<Alarm?>(null);
        var added = alarm with { Id = _alarms.Count + 1 };
        _alarms[added.Id] = added;
        return Task.FromResult<Alarm?>(added);
    }

    public Task<Alarm?> FindAlarmAsync(long id, CancellationToken cancellationToken) => Task.FromResult(_alarms.GetValueOrDefault(id));

    public Task<Alarm?> FindOpenAlarmAsync(string device, string type, CancellationToken cancellationToken) => Task.FromResult(Open(device, type));

    public Task<bool> TryUpdateAlarmAsync(Alarm alarm, long expectedRevision, CancellationToken cancellationToken)
    {
        var before = BeforeNextUpdate;
        BeforeNextUpdate = null;
        before?.Invoke();
        if (!_alarms.TryGetValue(alarm.Id, out var held) || held.Revision != expectedRevision)
            return Task.FromResult(false);
        _alarms[alarm.Id] = alarm;
        return Task.FromResult(true);
    }

    /// <summary>Replaces an alarm as another writer would, raising its revision.</summary>
    public void Overwrite(long id, Func<Alarm, Alarm> change) => _alarms[id] = change(_alarms[id]) with { Revision = _alarms[id].Revision + 1 };

    public Task<IReadOnlyList<Alarm>> QueryAlarmsAsync(AlarmQuery query, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<Alarm>>(_alarms.Values.Where(query.Matches).OrderByDescending(a => a.Id).Take(query.Limit).ToList());

    private Alarm? Open(string device, string type) =>
        _alarms.Values.FirstOrDefault(a => a.IsOpen && a.Device == device && a.Type == type);
}
