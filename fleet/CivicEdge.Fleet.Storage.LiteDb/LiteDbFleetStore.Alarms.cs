using CivicEdge.Fleet.Contracts.Alarms;
using CivicEdge.Fleet.Contracts.Health;
using CivicEdge.Fleet.Core.Alarms;
using LiteDB;
using JsonSerializer = System.Text.Json.JsonSerializer;

namespace CivicEdge.Fleet.Storage.LiteDb;

/// <summary>
/// Alarms in the fleet's LiteDB file: one document per alarm keyed by its id, holding the alarm's JSON and the fields
/// queries select by. <c>openKey</c> is (device, type) while the alarm is open and its own id once cleared, under a
/// unique index, so two open alarms of one condition cannot be written; every operation holds the store's lock, so the
/// check and the write of one call cannot interleave with another's.
/// </summary>
public sealed partial class LiteDbFleetStore : IAlarmStore
{
    private const string AlarmsName = "alarms";

    private ILiteCollection<BsonDocument> _alarms = null!;
    private long _lastAlarmId;

    public Task<Alarm?> TryAddAlarmAsync(Alarm alarm, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(alarm);
        StoreKeys.RequireName(alarm.Device, nameof(alarm));
        StoreKeys.RequireName(alarm.Type, nameof(alarm));
        return Task.FromResult(Run(cancellationToken, () =>
        {
            if (alarm.IsOpen && _alarms.FindOne(Query.EQ("openKey", OpenKey(alarm.Device, alarm.Type))) is not null)
                return null;
            var stored = Normalized(alarm with { Id = _lastAlarmId + 1 });
            _alarms.Insert(ToDocument(stored));
            _lastAlarmId = stored.Id;
            return stored;
        }));
    }

    public Task<Alarm?> FindAlarmAsync(long id, CancellationToken cancellationToken) =>
        Task.FromResult(Run(cancellationToken, () => _alarms.FindById(id) is { } document ? ToAlarm(document) : null));

    public Task<Alarm?> FindOpenAlarmAsync(string device, string type, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(device);
        ArgumentNullException.ThrowIfNull(type);
        return Task.FromResult(Run(cancellationToken, () =>
            _alarms.FindOne(Query.EQ("openKey", OpenKey(device, type))) is { } document ? ToAlarm(document) : null));
    }

    public Task<bool> TryUpdateAlarmAsync(Alarm alarm, long expectedRevision, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(alarm);
        return Task.FromResult(Run(cancellationToken, () =>
        {
            if (_alarms.FindById(alarm.Id) is not { } held || held["revision"].AsInt64 != expectedRevision)
                return false;
            if (alarm.IsOpen && _alarms.FindOne(Query.EQ("openKey", OpenKey(alarm.Device, alarm.Type))) is { } other && other["_id"].AsInt64 != alarm.Id)
                return false;
            return _alarms.Update(ToDocument(Normalized(alarm)));
        }));
    }

    public Task<IReadOnlyList<Alarm>> QueryAlarmsAsync(AlarmQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfLessThan(query.Limit, 1);
        return Task.FromResult(Run<IReadOnlyList<Alarm>>(cancellationToken, () =>
        {
            var candidates = query.Device is { } device
                ? _alarms.Find(Query.EQ("device", device))
                : query.States is { } states && states.All(AlarmQuery.OpenStates.Contains)
                    ? _alarms.Find(Query.EQ("open", true))
                    : _alarms.FindAll();
            return candidates
                .Select(ToAlarm)
                .Where(query.Matches)
                .OrderByDescending(alarm => alarm.Id)
                .Take(query.Limit)
                .ToList();
        }));
    }

    /// <summary>Times as they read back: UTC, to the millisecond.</summary>
    private static Alarm Normalized(Alarm alarm) => alarm with
    {
        FirstRaised = Millis(alarm.FirstRaised),
        LastRaised = Millis(alarm.LastRaised),
        History = alarm.History.Select(step => step with { At = Millis(step.At) }).ToList(),
    };

    private static DateTimeOffset Millis(DateTimeOffset time) => new(ToStoredTime(time), TimeSpan.Zero);

    private static string OpenKey(string device, string type) => $"{device}\u0001{type}";

    private static BsonDocument ToDocument(Alarm alarm) => new()
    {
        ["_id"] = alarm.Id,
        ["device"] = alarm.Device,
        ["open"] = alarm.IsOpen,
        ["openKey"] = alarm.IsOpen ? OpenKey(alarm.Device, alarm.Type) : $"#{alarm.Id}",
        ["revision"] = alarm.Revision,
        ["json"] = JsonSerializer.Serialize(alarm, HealthJson.Default.Alarm),
    };

    private static Alarm ToAlarm(BsonDocument document) =>
        JsonSerializer.Deserialize(document["json"].AsString, HealthJson.Default.Alarm)!;

    private void OpenAlarmCollection()
    {
        _alarms = _database.GetCollection(AlarmsName, BsonAutoId.Int64);
        CreateCollection(_alarms);
        _alarms.EnsureIndex("openKey", unique: true);
        _alarms.EnsureIndex("device");
        _alarms.EnsureIndex("open");
        _lastAlarmId = _alarms.Query().OrderByDescending("_id").Limit(1).ToList() is [var last] ? last["_id"].AsInt64 : 0;
    }
}
