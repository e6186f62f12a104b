using System.Text;
using CivicEdge.Fleet.Contracts.Alarms;
using CivicEdge.Fleet.Contracts.Health;
using CivicEdge.Fleet.Core.Alarms;
using Npgsql;
using JsonSerializer = System.Text.Json.JsonSerializer;

namespace CivicEdge.Fleet.Storage.PostgreSql;

/// <summary>
/// Alarms in the <c>alarms</c> table: the alarm's JSON beside the columns queries select by; the id and revision live in
/// their columns only. A partial unique index keeps one open alarm per (device, type) across every node.
/// </summary>
public sealed partial class PostgreSqlFleetStore : IAlarmStore
{
    private const string UniqueViolation = "23505";
    private const string AlarmColumns = "id, revision, alarm::text";

    public async Task<Alarm?> TryAddAlarmAsync(Alarm alarm, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(alarm);
        RequireName(alarm.Device, nameof(alarm));
        RequireName(alarm.Type, nameof(alarm));
        RequireInitialized();
        var stored = Normalized(alarm);
        await using var command = _dataSource.CreateCommand($"""
            insert into {_s}.alarms (device, type, open, state, severity, tenant, district, revision, alarm)
            values ($1, $2, $3, $4, $5, $6, $7, $8, $9)
            on conflict (device, type) where open do nothing
            returning id
            """);
        AddAlarmParameters(command, stored);
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is long id ? stored with { Id = id } : null;
    }

    public async Task<Alarm?> FindAlarmAsync(long id, CancellationToken cancellationToken)
    {
        RequireInitialized();
        await using var command = _dataSource.CreateCommand($"select {AlarmColumns} from {_s}.alarms where id = $1");
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = id });
        return (await ReadAlarmsAsync(command, cancellationToken).ConfigureAwait(false)).FirstOrDefault();
    }

    public async Task<Alarm?> FindOpenAlarmAsync(string device, string type, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(device);
        ArgumentNullException.ThrowIfNull(type);
        RequireInitialized();
        await using var command = _dataSource.CreateCommand($"select {AlarmColumns} from {_s}.alarms where device = $1 and type = $2 and open");
        command.Parameters.Add(Text(device));
        command.Parameters.Add(Text(type));
        return (await ReadAlarmsAsync(command, cancellationToken).ConfigureAwait(false)).FirstOrDefault();
    }

    public async Task<bool> TryUpdateAlarmAsync(Alarm alarm, long expectedRevision, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(alarm);
        RequireInitialized();
        await using var command = _dataSource.CreateCommand($"""
            update {_s}.alarms set device = $1, type = $2, open = $3, state = $4, severity = $5, tenant = $6, district = $7,
                revision = $8, alarm = $9
            where id = $10 and revision = $11
            """);
        AddAlarmParameters(command, Normalized(alarm));
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = alarm.Id });
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = expectedRevision });
        try
        {
            return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
        }
        catch (PostgresException exception) when (exception.SqlState == UniqueViolation)
        {
            // Reopening it would make a second open alarm of its condition.
            return false;
        }
    }

    public async Task<IReadOnlyList<Alarm>> QueryAlarmsAsync(AlarmQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfLessThan(query.Limit, 1);
        RequireInitialized();
        await using var command = _dataSource.CreateCommand();
        var sql = new StringBuilder($"select {AlarmColumns} from {_s}.alarms where true");
        if (query.States is { } states)
        {
            command.Parameters.Add(TextArray(states.Select(state => (string?)state.ToString()).ToArray()));
            sql.Append($" and state = any(${command.Parameters.Count})");
        }

        if (query.MinSeverity is { } severity)
        {
            command.Parameters.Add(new NpgsqlParameter<short> { TypedValue = (short)severity });
            sql.Append($" and severity >= ${command.Parameters.Count}");
        }

        Equal("device", query.Device);
        Equal("type", query.Type);
        Equal("tenant", query.Tenant);
        if (query.District is { } district)
        {
            command.Parameters.Add(Text(district));
            sql.Append($" and lower(district) = lower(${command.Parameters.Count})");
        }

        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = query.Limit });
        sql.Append($" order by id desc limit ${command.Parameters.Count}");
        command.CommandText = sql.ToString();
        return (await ReadAlarmsAsync(command, cancellationToken).ConfigureAwait(false)).Where(query.Matches).ToList();

        void Equal(string column, string? value)
        {
            if (value is null)
                return;
            command.Parameters.Add(Text(value));
            sql.Append($" and {column} = ${command.Parameters.Count}");
        }
    }

    private static void AddAlarmParameters(NpgsqlCommand command, Alarm alarm)
    {
        command.Parameters.Add(Text(alarm.Device));
        command.Parameters.Add(Text(alarm.Type));
        command.Parameters.Add(new NpgsqlParameter<bool> { TypedValue = alarm.IsOpen });
        command.Parameters.Add(Text(alarm.State.ToString()));
        command.Parameters.Add(new NpgsqlParameter<short> { TypedValue = (short)alarm.Severity });
        command.Parameters.Add(Text(alarm.Tenant));
        command.Parameters.Add(Text(alarm.District));
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = alarm.Revision });
        command.Parameters.Add(Json(JsonSerializer.Serialize(alarm with { Id = 0, Revision = 0 }, HealthJson.Default.Alarm)));
    }

    private static async Task<List<Alarm>> ReadAlarmsAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        var alarms = new List<Alarm>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var alarm = JsonSerializer.Deserialize(reader.GetString(2), HealthJson.Default.Alarm)!;
            alarms.Add(alarm with { Id = reader.GetInt64(0), Revision = reader.GetInt64(1) });
        }

        return alarms;
    }

    /// <summary>Times as they read back: UTC, to the microsecond.</summary>
    private static Alarm Normalized(Alarm alarm) => alarm with
    {
        FirstRaised = TruncateToMicroseconds(alarm.FirstRaised),
        LastRaised = TruncateToMicroseconds(alarm.LastRaised),
        History = alarm.History.Select(step => step with { At = TruncateToMicroseconds(step.At) }).ToList(),
    };
}
