using CivicEdge.Fleet.Contracts.Access;
using CivicEdge.Fleet.Core.Audit;
using Npgsql;
using NpgsqlTypes;

namespace CivicEdge.Fleet.Storage.PostgreSql;

/// <summary>
/// The audit log in the fleet's schema, shared by every node. Nothing here updates or deletes an entry. Entries are
/// numbered without gaps under a transaction-scoped advisory lock (an identity column would leave a gap after a failed
/// insert, and a gap in an audit log reads as an entry removed).
/// </summary>
public sealed partial class PostgreSqlFleetStore : IAuditStore
{
    public async Task<AuditEntry> AppendAuditAsync(AuditEntry entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        ArgumentException.ThrowIfNullOrEmpty(entry.Actor, nameof(entry));
        ArgumentException.ThrowIfNullOrEmpty(entry.Action, nameof(entry));
        ArgumentNullException.ThrowIfNull(entry.ActorTenants, nameof(entry));
        RequireInitialized();

        var time = TruncateToMilliseconds(entry.Time);
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using (var lockCommand = new NpgsqlCommand("select pg_advisory_xact_lock(hashtextextended($1, 0))", connection, transaction))
        {
            lockCommand.Parameters.Add(Text($"civicedge:{_s}:audit"));
            await lockCommand.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await using var insert = new NpgsqlCommand(
            $"""
            insert into {_s}.audit (sequence, time, actor, role, actor_tenants, action, target, tenant, outcome, detail, source_ip, correlation_id)
            select coalesce(max(sequence), 0) + 1, $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11 from {_s}.audit
            returning sequence
            """,
            connection,
            transaction);
        insert.Parameters.Add(Time(time));
        insert.Parameters.Add(Text(entry.Actor));
        insert.Parameters.Add(Text(entry.Role?.ToString()));
        insert.Parameters.Add(TextArray([.. entry.ActorTenants]));
        insert.Parameters.Add(Text(entry.Action));
        insert.Parameters.Add(Text(entry.Target));
        insert.Parameters.Add(Text(entry.Tenant));
        insert.Parameters.Add(Text(entry.Outcome.ToString()));
        insert.Parameters.Add(Text(entry.Detail));
        insert.Parameters.Add(Text(entry.SourceIp));
        insert.Parameters.Add(Text(entry.CorrelationId));
        var sequence = (long)(await insert.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return entry with { Sequence = sequence, Time = time };
    }

    public async Task<IReadOnlyList<AuditEntry>> QueryAuditAsync(AuditQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfLessThan(query.Limit, 1);
        if (query.From > query.To)
            throw new ArgumentException($"The window must not end ({query.To:O}) before it starts ({query.From:O}).", nameof(query));
        RequireInitialized();

        // Newest first along the time index, so that a limit keeps the newest; the other criteria are the query's own
        // rule, applied here so that every store agrees with it to the letter.
        await using var command = _dataSource.CreateCommand(
            $"""
            select sequence, time, actor, role, actor_tenants, action, target, tenant, outcome, detail, source_ip, correlation_id
            from {_s}.audit where time between $1 and $2 order by time desc, sequence desc
            """);
        command.Parameters.Add(Time(query.From));
        command.Parameters.Add(Time(query.To));
        var newest = new List<AuditEntry>();
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (newest.Count < query.Limit && await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var entry = ReadAuditEntry(reader);
                if (query.Matches(entry))
                    newest.Add(entry);
            }
        }

        newest.Sort((a, b) => a.Sequence.CompareTo(b.Sequence));
        return newest;
    }

    private static AuditEntry ReadAuditEntry(NpgsqlDataReader reader) => new(
        reader.GetInt64(0),
        ReadTime(reader, 1),
        reader.GetString(2),
        reader.IsDBNull(3) ? null : Enum.Parse<FleetRole>(reader.GetString(3)),
        reader.GetFieldValue<string[]>(4),
        reader.GetString(5),
        reader.IsDBNull(6) ? null : reader.GetString(6),
        reader.IsDBNull(7) ? null : reader.GetString(7),
        Enum.Parse<AuditOutcome>(reader.GetString(8)),
        reader.IsDBNull(9) ? null : reader.GetString(9),
        reader.IsDBNull(10) ? null : reader.GetString(10),
        reader.IsDBNull(11) ? null : reader.GetString(11));

    private static NpgsqlParameter<DateTime?> NullableTime(DateTimeOffset? value) =>
        new() { TypedValue = value?.UtcDateTime, NpgsqlDbType = NpgsqlDbType.TimestampTz };

    private static DateTimeOffset? ReadNullableTime(NpgsqlDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : ReadTime(reader, ordinal);

    /// <summary>The audit log and API keys keep milliseconds, as the embedded store does; what is returned is what reads back.</summary>
    private static DateTimeOffset TruncateToMilliseconds(DateTimeOffset time) =>
        new(time.UtcTicks - (time.UtcTicks % TimeSpan.TicksPerMillisecond), TimeSpan.Zero);
}
