using System.Text.Json;
using CivicEdge.Fleet.Contracts.Ota;
using CivicEdge.Fleet.Core.Ota;
using Npgsql;

namespace CivicEdge.Fleet.Storage.PostgreSql;

/// <summary>
/// Received OTA status reports in <c>ota_status</c>, numbered by an identity column. The room check is part of the
/// insert and counts the span of ids waiting, oldest to newest, which the primary key answers at once (a
/// <c>count(*)</c> reads the whole backlog on every report): gaps, where the leader kept a report of a conflicting
/// campaign while deleting newer ones, make it refuse a little early, never late; nodes appending at the same instant
/// may pass the bound by the few reports in flight.
/// </summary>
public sealed partial class PostgreSqlFleetStore : IOtaStatusStore
{
    public async Task<bool> TryAppendOtaStatusAsync(string source, OtaStatusReport report, DateTimeOffset receivedAt, int capacity, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(source);
        ArgumentNullException.ThrowIfNull(report);
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        RequireInitialized();
        await using var insert = _dataSource.CreateCommand($"""
            insert into {_s}.ota_status (source, received_at, report)
            select $1, $2, $3 where (select coalesce(max(id) - min(id) + 1, 0) from {_s}.ota_status) < $4
            """);
        insert.Parameters.Add(Text(source));
        insert.Parameters.Add(Time(receivedAt));
        insert.Parameters.Add(Json(JsonSerializer.Serialize(report, OtaJson.Default.OtaStatusReport)));
        insert.Parameters.Add(new NpgsqlParameter<long> { TypedValue = capacity });
        return await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
    }

    public async Task<IReadOnlyList<PendingOtaStatus>> ReadPendingOtaStatusAsync(int limit, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        RequireInitialized();
        await using var command = _dataSource.CreateCommand($"select id, source, received_at, report from {_s}.ota_status order by id limit $1");
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = limit });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var pending = new List<PendingOtaStatus>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var id = reader.GetInt64(0);
            pending.Add(new PendingOtaStatus(
                id,
                reader.GetString(1),
                JsonSerializer.Deserialize(reader.GetString(3), OtaJson.Default.OtaStatusReport)
                    ?? throw new InvalidDataException($"The stored OTA status report {id} is null."),
                ReadTime(reader, 2)));
        }
        return pending;
    }

    public async Task<long> CountPendingOtaStatusAsync(CancellationToken cancellationToken)
    {
        RequireInitialized();
        await using var command = _dataSource.CreateCommand($"select count(*) from {_s}.ota_status");
        return (long)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }

    public async Task DeleteOtaStatusAsync(IReadOnlyCollection<long> ids, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ids);
        if (ids.Count == 0)
            return;
        RequireInitialized();
        await using var delete = _dataSource.CreateCommand($"delete from {_s}.ota_status where id = any($1)");
        delete.Parameters.Add(new NpgsqlParameter<long[]> { TypedValue = [.. ids] });
        await delete.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
