using System.Globalization;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace CivicEdge.Fleet.Storage.PostgreSql;

/// <summary>
/// The daily partitions of <c>samples</c> (<c>samples_pYYYYMMDD</c>, [midnight, next midnight) UTC). A partition is
/// created as a plain table and then attached, which takes only a SHARE UPDATE EXCLUSIVE lock on <c>samples</c>, so
/// ingest goes on meanwhile; retention detaches them CONCURRENTLY before dropping them, for the same reason. The days
/// known to exist are cached; a node whose cache is stale (another node dropped a day) finds out from the insert that
/// fails, reloads and retries.
/// </summary>
internal sealed partial class SamplePartitions(NpgsqlDataSource dataSource, string schema, ILogger logger)
{
    private const string Prefix = "samples_p";
    private const string DayFormat = "yyyyMMdd";

    private readonly Lock _gate = new();
    private HashSet<DateOnly> _known = [];

    /// <summary>The day of a UTC time.</summary>
    public static DateOnly DayOf(DateTimeOffset time) => DateOnly.FromDateTime(time.UtcDateTime);

    /// <summary>True when every day of <paramref name="days"/> is known to have its partition.</summary>
    public bool AllKnown(IEnumerable<DateOnly> days)
    {
        lock (_gate)
            return days.All(_known.Contains);
    }

    /// <summary>Reads which days have partitions from the catalogue.</summary>
    public async Task ReloadAsync(CancellationToken cancellationToken)
    {
        var days = new HashSet<DateOnly>();
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        foreach (var (name, _) in await ListAsync(connection, null, cancellationToken).ConfigureAwait(false))
        {
            if (TryParseDay(name, out var day))
                days.Add(day);
        }

        lock (_gate)
            _known = days;
    }

    /// <summary>Creates the partitions of <paramref name="days"/> that do not exist, in one short transaction of their own.</summary>
    public async Task EnsureAsync(IReadOnlyCollection<DateOnly> days, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using (var lockCommand = new NpgsqlCommand("select pg_advisory_xact_lock(hashtextextended($1, 0))", connection, transaction))
        {
            lockCommand.Parameters.Add(new NpgsqlParameter { Value = $"civicedge:{schema}:partitions" });
            await lockCommand.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        var existing = new HashSet<DateOnly>();
        foreach (var (name, _) in await ListAsync(connection, transaction, cancellationToken).ConfigureAwait(false))
        {
            if (TryParseDay(name, out var day))
                existing.Add(day);
        }

        var created = new List<DateOnly>();
        foreach (var day in days.Where(day => !existing.Contains(day)).Order())
        {
            var table = $"{schema}.{NameOf(day)}";
            var start = day.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            var end = day.AddDays(1).ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            await using var command = new NpgsqlCommand($"""
                create table {table} (like {schema}.samples including defaults including constraints);
                alter table {schema}.samples attach partition {table}
                    for values from ('{start} 00:00:00+00') to ('{end} 00:00:00+00');
                """, connection, transaction);
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            existing.Add(day);
            created.Add(day);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        lock (_gate)
            _known = existing;
        foreach (var day in created)
            LogCreated(logger, schema, NameOf(day));
    }

    /// <summary>
    /// Detaches and drops every partition whose day ends at or before <paramref name="cutoff"/>.
    /// </summary>
    /// <returns>The rows the dropped partitions held, as the statistics estimate them.</returns>
    public async Task<long> DropBeforeAsync(DateTimeOffset cutoff, CancellationToken cancellationToken)
    {
        var removed = 0L;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        foreach (var (name, rows) in await ListAsync(connection, null, cancellationToken).ConfigureAwait(false))
        {
            if (!TryParseDay(name, out var day) || new DateTimeOffset(day.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero) > cutoff)
                continue;

            // Outside a transaction block, as DETACH CONCURRENTLY requires. One interrupted earlier is finished instead.
            var pending = await IsDetachPendingAsync(connection, name, cancellationToken).ConfigureAwait(false);
            var detach = pending
                ? $"alter table {schema}.samples detach partition {schema}.{name} finalize"
                : $"alter table {schema}.samples detach partition {schema}.{name} concurrently";
            var held = rows ?? await CountAsync(connection, name, cancellationToken).ConfigureAwait(false);
            await using (var command = new NpgsqlCommand(detach, connection))
                await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            await using (var command = new NpgsqlCommand($"drop table {schema}.{name}", connection))
                await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);

            lock (_gate)
                _known.Remove(day);
            removed += held;
            LogDropped(logger, schema, name, held);
        }

        // Left over by a detach that was interrupted before its drop: detached, so no longer listed above.
        return removed + await DropDetachedLeftoversAsync(connection, cutoff, cancellationToken).ConfigureAwait(false);
    }

    public static string NameOf(DateOnly day) => Prefix + day.ToString(DayFormat, CultureInfo.InvariantCulture);

    private static bool TryParseDay(string name, out DateOnly day)
    {
        day = default;
        return name.StartsWith(Prefix, StringComparison.Ordinal)
            && DateOnly.TryParseExact(name.AsSpan(Prefix.Length), DayFormat, CultureInfo.InvariantCulture, DateTimeStyles.None, out day);
    }

    /// <summary>
    /// The partitions attached to <c>samples</c> (a pending detach included), with their row counts as the statistics
    /// estimate them; null for a table never analysed, which autovacuum would have analysed if it were large.
    /// </summary>
    private async Task<List<(string Name, long? Rows)>> ListAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("""
            select c.relname, case when c.reltuples < 0 then null else c.reltuples::bigint end
            from pg_inherits i
            join pg_class c on c.oid = i.inhrelid
            where i.inhparent = to_regclass($1)
            order by c.relname
            """, connection, transaction);
        command.Parameters.Add(new NpgsqlParameter { Value = $"{schema}.samples" });
        var partitions = new List<(string, long?)>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            partitions.Add((reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetInt64(1)));
        return partitions;
    }

    private async Task<long> CountAsync(NpgsqlConnection connection, string name, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand($"select count(*) from {schema}.{name}", connection);
        return (long)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }

    private async Task<bool> IsDetachPendingAsync(NpgsqlConnection connection, string name, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            "select coalesce((select i.inhdetachpending from pg_inherits i where i.inhrelid = to_regclass($1)), false)", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = $"{schema}.{name}" });
        return (bool)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }

    private async Task<long> DropDetachedLeftoversAsync(NpgsqlConnection connection, DateTimeOffset cutoff, CancellationToken cancellationToken)
    {
        var leftovers = new List<string>();
        await using (var command = new NpgsqlCommand("""
            select c.relname
            from pg_class c join pg_namespace n on n.oid = c.relnamespace
            where n.nspname = $1 and c.relkind = 'r' and c.relname like 'samples\_p%' and not c.relispartition
            """, connection))
        {
            command.Parameters.Add(new NpgsqlParameter { Value = schema });
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                leftovers.Add(reader.GetString(0));
        }

        var removed = 0L;
        foreach (var name in leftovers)
        {
            if (!TryParseDay(name, out var day) || new DateTimeOffset(day.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero) > cutoff)
                continue;
            var rows = await CountAsync(connection, name, cancellationToken).ConfigureAwait(false);
            await using var drop = new NpgsqlCommand($"drop table {schema}.{name}", connection);
            await drop.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            removed += rows;
            LogDropped(logger, schema, name, rows);
        }

        return removed;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Fleet schema {Schema}: created telemetry partition {Partition}")]
    private static partial void LogCreated(ILogger logger, string schema, string partition);

    [LoggerMessage(Level = LogLevel.Information, Message = "Fleet schema {Schema}: dropped telemetry partition {Partition} (about {Rows} samples) past retention")]
    private static partial void LogDropped(ILogger logger, string schema, string partition, long rows);
}
