using CivicEdge.Fleet.Contracts;
using CivicEdge.Gateway.Acquisition;
using LiteDB;

namespace CivicEdge.Gateway.Storage;

/// <summary>
/// The standing alarms of every device, in the gateway's database: a restart reads them back, so an alarm that still
/// stands is not raised a second time, and one whose condition went away while the gateway was down is cleared.
/// </summary>
/// <remarks>
/// The collection holds only the alarms that stand, a handful per device, so it needs no index; and nothing is read or
/// written before a bus starts, so a damaged file stops no one from starting.
/// </remarks>
public sealed class AlarmStateStore : IAlarmStateStore
{
    private const string Collection = "alarm_states";
    private const string DeviceField = "device";
    private const string CodeField = "code";
    private const string SeverityField = "severity";
    private const string PointField = "point";
    private const string SinceField = "since";

    private readonly GatewayDatabase _database;

    public AlarmStateStore(GatewayDatabase database)
    {
        ArgumentNullException.ThrowIfNull(database);
        _database = database;
    }

    public IReadOnlyList<RaisedAlarm> Raised(string deviceId)
    {
        ArgumentNullException.ThrowIfNull(deviceId);
        return Guard(() => _database.Read(db => db.GetCollection(Collection)
            .Find(Query.EQ(DeviceField, deviceId))
            .Select(ToAlarm)
            .OrderBy(a => a.Code, StringComparer.Ordinal)
            .ToList()));
    }

    public void Record(IReadOnlyList<DeviceEvent> events)
    {
        ArgumentNullException.ThrowIfNull(events);
        if (!events.Any(e => e.State is EventState.Raised or EventState.Cleared))
            return;
        Guard(() => _database.Write(db =>
        {
            var alarms = db.GetCollection(Collection);
            foreach (var e in events)
            {
                if (e.State == EventState.Raised)
                    alarms.Upsert(ToDocument(e));
                else if (e.State == EventState.Cleared)
                    alarms.Delete(Key(e.DeviceId, e.Code));
            }
            return 0;
        }));
    }

    /// <summary>A device code and an alarm code cannot hold a line feed, so together they make a unique key.</summary>
    private static string Key(string deviceId, string code) => $"{deviceId}\n{code}";

    private static BsonDocument ToDocument(DeviceEvent e) => new()
    {
        ["_id"] = Key(e.DeviceId, e.Code),
        [DeviceField] = e.DeviceId,
        [CodeField] = e.Code,
        [SeverityField] = e.Severity.ToString(),
        [PointField] = e.Point is null ? BsonValue.Null : new BsonValue(e.Point),
        [SinceField] = e.Timestamp.UtcDateTime,
    };

    private static RaisedAlarm ToAlarm(BsonDocument document) => new(
        document[DeviceField].AsString,
        document[CodeField].AsString,
        Enum.TryParse<EventSeverity>(document[SeverityField].AsString, out var severity) ? severity : EventSeverity.Major,
        document[PointField].IsNull ? null : document[PointField].AsString,
        new DateTimeOffset(DateTime.SpecifyKind(document[SinceField].AsDateTime, DateTimeKind.Utc)));

    /// <summary>Reports a failure of the database as the <see cref="IOException"/> the interface promises.</summary>
    private static T Guard<T>(Func<T> work)
    {
        try
        {
            return work();
        }
        catch (LiteException ex)
        {
            throw new IOException($"The alarm state in the gateway database could not be read or saved: {ex.Message}", ex);
        }
    }
}
