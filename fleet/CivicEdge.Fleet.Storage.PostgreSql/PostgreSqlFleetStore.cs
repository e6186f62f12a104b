using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Text.Json;
using CivicEdge.Fleet.Contracts;
using CivicEdge.Fleet.Core;
using Microsoft.Extensions.Logging;
using Npgsql;
using NpgsqlTypes;

namespace CivicEdge.Fleet.Storage.PostgreSql;

/// <summary>
/// The fleet store for city scale: PostgreSQL, shared by any number of stateless fleet nodes. Telemetry goes into a
/// table partitioned by UTC day, one binary COPY per batch; a batch, its devices, the latest values and the stream's
/// watermark are written in one transaction that holds the watermark row's lock, so deduplication by (source, stream,
/// seq) holds even when two nodes ingest the same stream at once.
/// </summary>
/// <remarks>
/// <see cref="InitializeAsync"/> applies the schema migrations and creates today's partitions; it must complete before
/// anything else is called. Transactions run at READ COMMITTED: the watermark row is read with <c>FOR UPDATE</c>, which
/// returns its newest committed version once a concurrent writer has finished. Rows are locked in ordinal order of their
/// keys (devices, then points), so concurrent batches that touch the same devices cannot deadlock each other; a
/// deadlock or a partition another node dropped meanwhile is retried.
/// </remarks>
public sealed partial class PostgreSqlFleetStore : IFleetStore, ITelemetryHistory, IAsyncDisposable
{
    private const int MaxAttempts = 3;

    private static readonly short[] CountedQualities = [.. QualityCodes.Counted];
    private const int EventDeleteBatch = 10_000;

    /// <summary>What an insert into <c>samples</c> fails with when no partition holds its time: a check violation.</summary>
    private const string NoPartitionForRow = PostgresErrorCodes.CheckViolation;

    private readonly NpgsqlDataSource _dataSource;
    private readonly string _s;
    private readonly int _partitionsAhead;
    private readonly SamplePartitions _partitions;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger<PostgreSqlFleetStore> _logger;
    private readonly ConcurrentDictionary<int, (string Source, string Stream)> _streamNames = new();
    private volatile bool _initialized;

    /// <summary>Prepares a store on the database and schema of <paramref name="options"/>; nothing is opened yet.</summary>
    /// <exception cref="ArgumentException">The connection string cannot be parsed or the schema is not a plain identifier.</exception>
    public PostgreSqlFleetStore(PostgreSqlFleetStoreOptions options, TimeProvider timeProvider, ILogger<PostgreSqlFleetStore> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(logger);
        ArgumentException.ThrowIfNullOrWhiteSpace(options.ConnectionString, nameof(options.ConnectionString));
        if (!PostgreSqlFleetStoreOptions.IsValidSchema(options.Schema))
            throw new ArgumentException($"Expected a lower-case SQL identifier as the schema, found '{options.Schema}'.", nameof(options));
        ArgumentOutOfRangeException.ThrowIfNegative(options.PartitionsAhead, nameof(options.PartitionsAhead));

        var builder = new NpgsqlDataSourceBuilder(options.ConnectionString);
        if (string.IsNullOrEmpty(builder.ConnectionStringBuilder.ApplicationName))
            builder.ConnectionStringBuilder.ApplicationName = "civicedge-fleet";

        // The same few statements run for every batch: let Npgsql prepare them once per connection.
        if (builder.ConnectionStringBuilder.MaxAutoPrepare == 0)
            builder.ConnectionStringBuilder.MaxAutoPrepare = 32;
        _dataSource = builder.Build();
        _s = options.Schema;
        _partitionsAhead = options.PartitionsAhead;
        _timeProvider = timeProvider;
        _logger = logger;
        _partitions = new SamplePartitions(_dataSource, _s, logger);
        Endpoint = $"{builder.ConnectionStringBuilder.Host}:{builder.ConnectionStringBuilder.Port}/{builder.ConnectionStringBuilder.Database}";
    }

    /// <summary>Host, port and database, for messages (never the credentials).</summary>
    public string Endpoint { get; }

    /// <summary>
    /// Applies the schema migrations this version has and the database lacks, and creates the telemetry partitions of
    /// today and the days ahead. Safe to run on several nodes at once; idempotent.
    /// </summary>
    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        await SchemaMigrations.ApplyAsync(_dataSource, _s, _logger, cancellationToken).ConfigureAwait(false);
        await _partitions.ReloadAsync(cancellationToken).ConfigureAwait(false);
        var today = SamplePartitions.DayOf(_timeProvider.GetUtcNow());
        await _partitions.EnsureAsync([.. Enumerable.Range(0, _partitionsAhead + 1).Select(today.AddDays)], cancellationToken).ConfigureAwait(false);
        _initialized = true;
        LogOpened(_logger, Endpoint, _s);
    }

    public async Task<StoreBatchResult> StoreBatchAsync(TelemetryBatch batch, DateTimeOffset receivedAt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        RequireName(batch.Source, nameof(batch));
        RequireName(batch.Stream, nameof(batch));
        ArgumentNullException.ThrowIfNull(batch.Records, nameof(batch));
        foreach (var record in batch.Records)
        {
            ArgumentNullException.ThrowIfNull(record, nameof(batch));
            RequireName(record.DeviceId, nameof(batch));
            ArgumentNullException.ThrowIfNull(record.Points, nameof(batch));
            foreach (var point in record.Points)
            {
                ArgumentNullException.ThrowIfNull(point, nameof(batch));
                RequireName(point.Name, nameof(batch));
                ArgumentNullException.ThrowIfNull(point.Unit, nameof(batch));
            }
        }

        RequireInitialized();
        cancellationToken.ThrowIfCancellationRequested();
        var days = batch.Records.Select(record => SamplePartitions.DayOf(record.Timestamp)).ToHashSet();
        await EnsurePartitionsAsync(days, cancellationToken).ConfigureAwait(false);

        // From here on the write runs to its end: a cancelled half-way batch would be resent anyway.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await WriteBatchAsync(batch, receivedAt.ToUniversalTime()).ConfigureAwait(false);
            }
            catch (PostgresException exception) when (exception.SqlState == NoPartitionForRow && attempt < MaxAttempts)
            {
                // Another node dropped a day this node still believed in (retention of a late backlog).
                LogRetried(_logger, batch.Source, batch.Stream, exception.MessageText);
                await _partitions.ReloadAsync(CancellationToken.None).ConfigureAwait(false);
                await EnsurePartitionsAsync(days, CancellationToken.None).ConfigureAwait(false);
            }
            catch (PostgresException exception) when (exception.SqlState is PostgresErrorCodes.DeadlockDetected or PostgresErrorCodes.SerializationFailure && attempt < MaxAttempts)
            {
                LogRetried(_logger, batch.Source, batch.Stream, exception.MessageText);
            }
        }
    }

    public async Task<StoreBatchResult> StoreEventsAsync(EventBatch batch, DateTimeOffset receivedAt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        RequireName(batch.Source, nameof(batch));
        RequireName(batch.Stream, nameof(batch));
        ArgumentNullException.ThrowIfNull(batch.Records, nameof(batch));
        foreach (var record in batch.Records)
        {
            ArgumentNullException.ThrowIfNull(record, nameof(batch));
            RequireName(record.DeviceId, nameof(batch));
        }

        RequireInitialized();
        cancellationToken.ThrowIfCancellationRequested();
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await WriteEventsAsync(batch, receivedAt.ToUniversalTime()).ConfigureAwait(false);
            }
            catch (PostgresException exception) when (exception.SqlState is PostgresErrorCodes.DeadlockDetected or PostgresErrorCodes.SerializationFailure && attempt < MaxAttempts)
            {
                LogRetried(_logger, batch.Source, batch.Stream, exception.MessageText);
            }
        }
    }

    public async Task<IReadOnlyList<EventEntry>> GetEventsAsync(string? deviceId, DateTimeOffset from, DateTimeOffset to, int limit, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        RequireWindow(from, to);
        RequireInitialized();
        if (deviceId is { Length: 0 })
            return [];

        // Newest first along an index, then turned round: the newest events win when the window holds more.
        var sql = $"""
            select source, seq, device, time, code, state, severity, message, point, value, received
            from {_s}.events
            where time >= $1 and time <= $2 {(deviceId is null ? "" : "and device = $4")}
            order by time desc, source desc, seq desc
            limit $3
            """;
        await using var command = _dataSource.CreateCommand(sql);
        command.Parameters.Add(Time(from));
        command.Parameters.Add(Time(to));
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = limit });
        if (deviceId is not null)
            command.Parameters.Add(Text(deviceId));

        var events = new List<EventEntry>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            events.Add(new EventEntry(
                reader.GetString(0),
                reader.GetInt64(1),
                reader.GetString(2),
                ReadTime(reader, 3),
                reader.GetString(4),
                Enum.Parse<EventState>(reader.GetString(5)),
                Enum.Parse<EventSeverity>(reader.GetString(6)),
                reader.GetString(7),
                reader.IsDBNull(8) ? null : reader.GetString(8),
                reader.IsDBNull(9) ? null : reader.GetDouble(9),
                ReadTime(reader, 10)));
        }

        events.Reverse();
        return events;
    }

    public async Task RecordSourceStateAsync(SourceState state, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(state);
        RequireName(state.SourceId, nameof(state));
        RequireInitialized();
        await using var command = _dataSource.CreateCommand($"""
            insert into {_s}.sources as s (id, online, version, time) values ($1, $2, $3, $4)
            on conflict (id) do update set online = excluded.online, version = excluded.version, time = excluded.time
            where s.time <= excluded.time
            """);
        command.Parameters.Add(Text(state.SourceId));
        command.Parameters.Add(new NpgsqlParameter<bool> { TypedValue = state.Online });
        command.Parameters.Add(Text(state.Version));
        command.Parameters.Add(Time(state.Timestamp));
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<SourceState>> ListSourcesAsync(CancellationToken cancellationToken)
    {
        RequireInitialized();
        await using var command = _dataSource.CreateCommand($"select id, online, version, time from {_s}.sources order by id");
        var sources = new List<SourceState>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            sources.Add(new SourceState(reader.GetString(0), reader.GetBoolean(1), reader.IsDBNull(2) ? null : reader.GetString(2), ReadTime(reader, 3)));
        return sources;
    }

    public async Task<IReadOnlyList<DeviceSummary>> ListDevicesAsync(CancellationToken cancellationToken)
    {
        RequireInitialized();
        await using var command = _dataSource.CreateCommand(
            $"select id, model, gateway, first_seen, last_seen, readings from {_s}.devices order by id");
        var devices = new List<DeviceSummary>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            devices.Add(ReadDevice(reader));
        return devices;
    }

    public async Task<DeviceSummary?> FindDeviceAsync(string deviceId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(deviceId);
        RequireInitialized();
        await using var command = _dataSource.CreateCommand(
            $"select id, model, gateway, first_seen, last_seen, readings from {_s}.devices where id = $1");
        command.Parameters.Add(Text(deviceId));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? ReadDevice(reader) : null;
    }

    public async Task<IReadOnlyList<LatestValue>> GetLatestValuesAsync(string deviceId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(deviceId);
        RequireInitialized();
        await using var command = _dataSource.CreateCommand(
            $"select point, value, unit, quantity, quality, time from {_s}.points where device = $1 order by point");
        command.Parameters.Add(Text(deviceId));
        var values = new List<LatestValue>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            values.Add(new LatestValue(
                reader.GetString(0),
                reader.GetDouble(1),
                reader.GetString(2),
                reader.IsDBNull(3) ? null : reader.GetString(3),
                QualityCodes.FromCode(reader.GetInt16(4)),
                ReadTime(reader, 5)));
        }

        return values;
    }

    public async Task<IReadOnlyList<PointSeries>> GetSeriesAsync(
        string deviceId,
        DateTimeOffset from,
        DateTimeOffset to,
        int maxSamplesPerPoint,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(deviceId);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxSamplesPerPoint, 1);
        RequireWindow(from, to);
        RequireInitialized();

        // Per point, the newest samples along (point_id, time) backwards: the newest win when the window holds more.
        await using var command = _dataSource.CreateCommand($"""
            select p.point, p.unit, p.quantity, s.time, s.value, s.quality
            from {_s}.points p
            cross join lateral (
                select time, value, quality from {_s}.samples
                where point_id = p.id and time >= $2 and time <= $3
                order by time desc
                limit $4) s
            where p.device = $1
            order by p.point, s.time
            """);
        command.Parameters.Add(Text(deviceId));
        command.Parameters.Add(Time(from));
        command.Parameters.Add(Time(to));
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = maxSamplesPerPoint });

        var series = new List<PointSeries>();
        List<Sample>? samples = null;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var point = reader.GetString(0);
            if (series.Count == 0 || series[^1].Point != point)
            {
                samples = [];
                series.Add(new PointSeries(point, reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2), samples));
            }

            samples!.Add(new Sample(ReadTime(reader, 3), reader.GetDouble(4), QualityCodes.FromCode(reader.GetInt16(5))));
        }

        return series;
    }

    public async Task<IReadOnlyList<AggregatedSeries>> AggregateAsync(AggregateQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        query.Validate();
        RequireInitialized();

        // date_bin aligns buckets on the Unix epoch, as AggregateQuery.BucketOf does. "last" needs the values of the
        // bucket in time order, so it is computed only when asked for.
        var last = query.Aggregates.HasFlag(TelemetryAggregates.Last)
            ? "(array_agg(s.value order by s.time desc))[1]"
            : "null::double precision";
        await using var command = _dataSource.CreateCommand($"""
            select p.point, p.unit, p.quantity,
                   date_bin($2, s.time, timestamptz '1970-01-01 00:00:00+00') as bucket,
                   count(*), min(s.value), max(s.value), avg(s.value), {last}
            from {_s}.points p
            join {_s}.samples s on s.point_id = p.id
            where p.device = $1
              and ($5::text[] is null or p.point = any($5))
              and s.time >= $3 and s.time <= $4
              and s.quality = any($6)
            group by p.point, p.unit, p.quantity, bucket
            order by p.point, bucket
            """);
        command.Parameters.Add(Text(query.DeviceId));
        command.Parameters.Add(new NpgsqlParameter<TimeSpan> { TypedValue = query.Interval, NpgsqlDbType = NpgsqlDbType.Interval });
        command.Parameters.Add(Time(query.From));
        command.Parameters.Add(Time(query.To));
        command.Parameters.Add(new NpgsqlParameter<string[]?> { TypedValue = query.Points?.ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter<short[]> { TypedValue = CountedQualities, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Smallint });

        var wanted = query.Aggregates;
        var series = new List<AggregatedSeries>();
        List<TelemetryBucket>? buckets = null;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var point = reader.GetString(0);
            if (series.Count == 0 || series[^1].Point != point)
            {
                buckets = [];
                series.Add(new AggregatedSeries(point, reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2), buckets));
            }

            buckets!.Add(new TelemetryBucket(
                ReadTime(reader, 3),
                wanted.HasFlag(TelemetryAggregates.Count) ? reader.GetInt64(4) : null,
                wanted.HasFlag(TelemetryAggregates.Min) ? reader.GetDouble(5) : null,
                wanted.HasFlag(TelemetryAggregates.Max) ? reader.GetDouble(6) : null,
                wanted.HasFlag(TelemetryAggregates.Avg) ? reader.GetDouble(7) : null,
                wanted.HasFlag(TelemetryAggregates.Last) ? reader.GetDouble(8) : null));
        }

        return series;
    }

    public async IAsyncEnumerable<StoredSample> ReadSamplesAsync(
        string deviceId,
        IReadOnlyCollection<string>? points,
        DateTimeOffset from,
        DateTimeOffset to,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(deviceId);
        RequireWindow(from, to);
        RequireInitialized();

        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        var selected = new List<(int Id, string Point, string Unit, string? Quantity)>();
        await using (var command = new NpgsqlCommand(
            $"select id, point, unit, quantity from {_s}.points where device = $1 and ($2::text[] is null or point = any($2)) order by point",
            connection))
        {
            command.Parameters.Add(Text(deviceId));
            command.Parameters.Add(new NpgsqlParameter<string[]?> { TypedValue = points?.ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                selected.Add((reader.GetInt32(0), reader.GetString(1), reader.GetString(2), reader.IsDBNull(3) ? null : reader.GetString(3)));
        }

        // One index range per point, read as it streams in: Npgsql does not buffer a result set.
        foreach (var (id, point, unit, quantity) in selected)
        {
            await using var command = new NpgsqlCommand(
                $"select time, value, quality, stream_id, seq from {_s}.samples where point_id = $1 and time >= $2 and time <= $3 order by time, seq",
                connection);
            command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = id });
            command.Parameters.Add(Time(from));
            command.Parameters.Add(Time(to));
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var streamId = reader.GetInt32(3);
                if (!_streamNames.TryGetValue(streamId, out var stream))
                {
                    // The connection is busy with this reader: resolve the stream's name on another one, once.
                    stream = await StreamNameAsync(streamId, cancellationToken).ConfigureAwait(false);
                }

                yield return new StoredSample(
                    deviceId,
                    point,
                    ReadTime(reader, 0),
                    reader.GetDouble(1),
                    unit,
                    quantity,
                    QualityCodes.FromCode(reader.GetInt16(2)),
                    stream.Source,
                    stream.Stream,
                    reader.GetInt64(4));
            }
        }
    }

    public async Task<long> DeleteTelemetryBeforeAsync(DateTimeOffset cutoff, CancellationToken cancellationToken)
    {
        RequireInitialized();
        return await _partitions.DropBeforeAsync(cutoff, cancellationToken).ConfigureAwait(false);
    }

    public async Task<long> DeleteEventsBeforeAsync(DateTimeOffset cutoff, CancellationToken cancellationToken)
    {
        RequireInitialized();

        // In slices, each its own short transaction: a large purge neither holds locks long nor bloats one transaction.
        var removed = 0L;
        while (true)
        {
            await using var command = _dataSource.CreateCommand($"""
                delete from {_s}.events where ctid = any(array(
                    select ctid from {_s}.events where time < $1 limit {EventDeleteBatch}))
                """);
            command.Parameters.Add(Time(cutoff));
            var deleted = await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            removed += deleted;
            if (deleted < EventDeleteBatch)
                return removed;
        }
    }

    public async Task<DesiredState> SetDesiredAsync(string deviceId, DesiredConfiguration? configuration, DateTimeOffset updatedAt, CancellationToken cancellationToken)
    {
        RequireName(deviceId, nameof(deviceId));
        RequireInitialized();
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);

        // The upsert locks the twin's row until commit: concurrent changes get consecutive versions.
        long version;
        await using (var bump = new NpgsqlCommand(
            $"insert into {_s}.twins as t (device, version) values ($1, 1) on conflict (device) do update set version = t.version + 1 returning version",
            connection,
            transaction))
        {
            bump.Parameters.Add(Text(deviceId));
            version = (long)(await bump.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
        }

        var state = new DesiredState(version, TruncateToMicroseconds(updatedAt), configuration);
        await using (var store = new NpgsqlCommand($"update {_s}.twins set desired = $2 where device = $1", connection, transaction))
        {
            store.Parameters.Add(Text(deviceId));
            store.Parameters.Add(Json(JsonSerializer.Serialize(state, ContractsJson.Default.DesiredState)));
            await store.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return state;
    }

    public async Task RecordReportedAsync(ReportedState state, DateTimeOffset receivedAt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(state);
        RequireName(state.SourceId, nameof(state));
        RequireInitialized();
        await using var command = _dataSource.CreateCommand($"""
            insert into {_s}.twins as t (device, version, reported, reported_time, reported_at) values ($1, 0, $2, $3, $4)
            on conflict (device) do update
                set reported = excluded.reported, reported_time = excluded.reported_time, reported_at = excluded.reported_at
                where t.reported_time is null or t.reported_time <= excluded.reported_time
            """);
        command.Parameters.Add(Text(state.SourceId));
        command.Parameters.Add(Json(JsonSerializer.Serialize(state, ContractsJson.Default.ReportedState)));
        command.Parameters.Add(Time(state.Timestamp));
        command.Parameters.Add(Time(receivedAt));
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<DeviceTwin?> GetTwinAsync(string deviceId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(deviceId);
        RequireInitialized();
        await using var command = _dataSource.CreateCommand(
            $"select device, desired::text, reported::text, reported_at from {_s}.twins where device = $1");
        command.Parameters.Add(Text(deviceId));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? ReadTwin(reader) : null;
    }

    public async Task<IReadOnlyList<DeviceTwin>> ListTwinsAsync(CancellationToken cancellationToken)
    {
        RequireInitialized();
        await using var command = _dataSource.CreateCommand(
            $"select device, desired::text, reported::text, reported_at from {_s}.twins order by device");
        var twins = new List<DeviceTwin>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            twins.Add(ReadTwin(reader));
        return twins;
    }

    public async Task RecordHealthAsync(HealthReport report, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(report);
        RequireName(report.SourceId, nameof(report));
        RequireInitialized();
        await using var command = _dataSource.CreateCommand($"""
            insert into {_s}.health as h (source, time, report) values ($1, $2, $3)
            on conflict (source) do update set time = excluded.time, report = excluded.report
            where h.time <= excluded.time
            """);
        command.Parameters.Add(Text(report.SourceId));
        command.Parameters.Add(Time(report.Timestamp));
        command.Parameters.Add(Json(JsonSerializer.Serialize(report, ContractsJson.Default.HealthReport)));
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<HealthReport?> GetHealthAsync(string sourceId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sourceId);
        RequireInitialized();
        await using var command = _dataSource.CreateCommand($"select report::text from {_s}.health where source = $1");
        command.Parameters.Add(Text(sourceId));
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is string json
            ? JsonSerializer.Deserialize(json, ContractsJson.Default.HealthReport)
            : null;
    }

    public async Task<bool> IsAvailableAsync(CancellationToken cancellationToken)
    {
        if (!_initialized)
            return false;

        try
        {
            await using var command = _dataSource.CreateCommand($"select 1 from {_s}.schema_migrations limit 1");
            return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is not null;
        }
        catch (Exception exception) when (exception is NpgsqlException or TimeoutException or InvalidOperationException)
        {
            LogUnavailable(_logger, Endpoint, exception);
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _dataSource.DisposeAsync().ConfigureAwait(false);
        LogClosed(_logger, Endpoint, _s);
    }

    private async Task EnsurePartitionsAsync(HashSet<DateOnly> days, CancellationToken cancellationToken)
    {
        var today = SamplePartitions.DayOf(_timeProvider.GetUtcNow());
        for (var ahead = 0; ahead <= _partitionsAhead; ahead++)
            days.Add(today.AddDays(ahead));
        if (!_partitions.AllKnown(days))
            await _partitions.EnsureAsync(days, cancellationToken).ConfigureAwait(false);
    }

    private async Task<StoreBatchResult> WriteBatchAsync(TelemetryBatch batch, DateTimeOffset receivedAt)
    {
        await using var connection = await _dataSource.OpenConnectionAsync().ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync().ConfigureAwait(false);
        var (streamId, stored) = await LockStreamAsync(connection, transaction, batch.Source, batch.Stream).ConfigureAwait(false);
        var (fresh, duplicates, watermark) = StreamWatermark.Split(batch.Records, record => record.Seq, stored);

        if (fresh.Count == 0)
            return new StoreBatchResult(0, duplicates);

        var devices = new SortedDictionary<string, DeviceRow>(StringComparer.Ordinal);
        var latest = new SortedDictionary<(string Device, string Point), (PointValue Value, DateTime Time)>(OrdinalPairComparer.Instance);
        var samples = 0;
        foreach (var record in fresh)
        {
            var time = record.Timestamp.UtcDateTime;
            if (!devices.TryGetValue(record.DeviceId, out var device))
            {
                device = new DeviceRow { LastSeen = time };
                devices.Add(record.DeviceId, device);
            }

            device.Model = record.Model ?? device.Model;
            device.LastSeen = time > device.LastSeen ? time : device.LastSeen;
            device.Readings++;
            foreach (var point in record.Points)
            {
                samples++;
                var key = (record.DeviceId, point.Name);
                if (!latest.TryGetValue(key, out var held) || held.Time <= time)
                    latest[key] = (point, time);
            }
        }

        var pointIds = await UpsertDevicesAndPointsAsync(connection, transaction, batch.Source, receivedAt, devices, latest).ConfigureAwait(false);

        var copy = await connection.BeginBinaryImportAsync(
            $"copy {_s}.samples (time, value, seq, point_id, stream_id, quality) from stdin (format binary)").ConfigureAwait(false);
        await using (copy.ConfigureAwait(false))
        {
            foreach (var record in fresh)
            {
                var time = record.Timestamp.UtcDateTime;
                foreach (var point in record.Points)
                {
                    await copy.StartRowAsync().ConfigureAwait(false);
                    await copy.WriteAsync(time, NpgsqlDbType.TimestampTz).ConfigureAwait(false);
                    await copy.WriteAsync(point.Value, NpgsqlDbType.Double).ConfigureAwait(false);
                    await copy.WriteAsync(record.Seq, NpgsqlDbType.Bigint).ConfigureAwait(false);
                    await copy.WriteAsync(pointIds[(record.DeviceId, point.Name)], NpgsqlDbType.Integer).ConfigureAwait(false);
                    await copy.WriteAsync(streamId, NpgsqlDbType.Integer).ConfigureAwait(false);
                    await copy.WriteAsync(QualityCodes.ToCode(point.Quality), NpgsqlDbType.Smallint).ConfigureAwait(false);
                }
            }

            var copied = await copy.CompleteAsync().ConfigureAwait(false);
            if (copied != (ulong)samples)
                throw new InvalidOperationException($"COPY stored {copied} samples of {batch.Source}/{batch.Stream}; {samples} were sent.");
        }

        await using (var advance = new NpgsqlCommand($"update {_s}.streams set last_seq = $2 where id = $1", connection, transaction))
        {
            advance.Parameters.Add(new NpgsqlParameter<int> { TypedValue = streamId });
            advance.Parameters.Add(new NpgsqlParameter<long> { TypedValue = watermark });
            await advance.ExecuteNonQueryAsync().ConfigureAwait(false);
        }

        await transaction.CommitAsync().ConfigureAwait(false);
        return new StoreBatchResult(fresh.Count, duplicates);
    }

    /// <summary>
    /// Upserts the devices and the points' latest values in one round trip, each in ordinal key order, and returns the
    /// id of every point of the batch.
    /// </summary>
    private async Task<Dictionary<(string Device, string Point), int>> UpsertDevicesAndPointsAsync(
        NpgsqlConnection connection,
        NpgsqlTransaction transaction,
        string source,
        DateTimeOffset receivedAt,
        SortedDictionary<string, DeviceRow> devices,
        SortedDictionary<(string Device, string Point), (PointValue Value, DateTime Time)> latest)
    {
        await using var batch = new NpgsqlBatch(connection, transaction);

        var upsertDevices = new NpgsqlBatchCommand($"""
            insert into {_s}.devices as d (id, model, gateway, first_seen, last_seen, readings)
            select id, model, $3, $4, last_seen, readings
            from unnest($1::text[], $2::text[], $5::timestamptz[], $6::bigint[]) as u (id, model, last_seen, readings)
            on conflict (id) do update set
                model = coalesce(excluded.model, d.model),
                gateway = excluded.gateway,
                last_seen = greatest(d.last_seen, excluded.last_seen),
                readings = d.readings + excluded.readings
            """);
        upsertDevices.Parameters.Add(TextArray([.. devices.Keys]));
        upsertDevices.Parameters.Add(TextArray([.. devices.Values.Select(device => device.Model)]));
        upsertDevices.Parameters.Add(Text(source));
        upsertDevices.Parameters.Add(Time(receivedAt));
        upsertDevices.Parameters.Add(new NpgsqlParameter<DateTime[]> { TypedValue = [.. devices.Values.Select(device => device.LastSeen)], NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.TimestampTz });
        upsertDevices.Parameters.Add(new NpgsqlParameter<long[]> { TypedValue = [.. devices.Values.Select(device => device.Readings)], NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bigint });
        batch.BatchCommands.Add(upsertDevices);

        // Every row is updated (newer values replace, older ones keep what is held), so RETURNING yields every id.
        var upsertPoints = new NpgsqlBatchCommand($"""
            insert into {_s}.points as p (device, point, unit, quantity, value, quality, time)
            select * from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::double precision[], $6::smallint[], $7::timestamptz[])
            on conflict (device, point) do update set
                unit = case when excluded.time >= p.time then excluded.unit else p.unit end,
                quantity = case when excluded.time >= p.time then excluded.quantity else p.quantity end,
                value = case when excluded.time >= p.time then excluded.value else p.value end,
                quality = case when excluded.time >= p.time then excluded.quality else p.quality end,
                time = greatest(p.time, excluded.time)
            returning id, device, point
            """);
        upsertPoints.Parameters.Add(TextArray([.. latest.Keys.Select(key => key.Device)]));
        upsertPoints.Parameters.Add(TextArray([.. latest.Keys.Select(key => key.Point)]));
        upsertPoints.Parameters.Add(TextArray([.. latest.Values.Select(entry => entry.Value.Unit)]));
        upsertPoints.Parameters.Add(TextArray([.. latest.Values.Select(entry => entry.Value.Quantity)]));
        upsertPoints.Parameters.Add(new NpgsqlParameter<double[]> { TypedValue = [.. latest.Values.Select(entry => entry.Value.Value)], NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Double });
        upsertPoints.Parameters.Add(new NpgsqlParameter<short[]> { TypedValue = [.. latest.Values.Select(entry => QualityCodes.ToCode(entry.Value.Quality))], NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Smallint });
        upsertPoints.Parameters.Add(new NpgsqlParameter<DateTime[]> { TypedValue = [.. latest.Values.Select(entry => entry.Time)], NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.TimestampTz });
        batch.BatchCommands.Add(upsertPoints);

        var ids = new Dictionary<(string, string), int>(latest.Count);
        await using var reader = await batch.ExecuteReaderAsync().ConfigureAwait(false);
        do
        {
            // The devices' upsert returns no rows; every row read is a point's.
            while (await reader.ReadAsync().ConfigureAwait(false))
                ids[(reader.GetString(1), reader.GetString(2))] = reader.GetInt32(0);
        }
        while (await reader.NextResultAsync().ConfigureAwait(false));

        return ids;
    }

    private async Task<StoreBatchResult> WriteEventsAsync(EventBatch batch, DateTimeOffset receivedAt)
    {
        await using var connection = await _dataSource.OpenConnectionAsync().ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync().ConfigureAwait(false);
        var (streamId, stored) = await LockStreamAsync(connection, transaction, batch.Source, batch.Stream).ConfigureAwait(false);
        var (fresh, duplicates, watermark) = StreamWatermark.Split(batch.Records, record => record.Seq, stored);

        if (fresh.Count == 0)
            return new StoreBatchResult(0, duplicates);

        await using (var insert = new NpgsqlCommand($"""
            insert into {_s}.events (source, stream, seq, device, time, code, state, severity, message, point, value, received)
            select $1, $2, seq, device, time, code, state, severity, message, point, value, $3
            from unnest($4::bigint[], $5::text[], $6::timestamptz[], $7::text[], $8::text[], $9::text[], $10::text[], $11::text[], $12::double precision[])
                as u (seq, device, time, code, state, severity, message, point, value)
            """, connection, transaction))
        {
            insert.Parameters.Add(Text(batch.Source));
            insert.Parameters.Add(Text(batch.Stream));
            insert.Parameters.Add(Time(receivedAt));
            insert.Parameters.Add(new NpgsqlParameter<long[]> { TypedValue = [.. fresh.Select(e => e.Seq)], NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bigint });
            insert.Parameters.Add(TextArray([.. fresh.Select(e => e.DeviceId)]));
            insert.Parameters.Add(new NpgsqlParameter<DateTime[]> { TypedValue = [.. fresh.Select(e => e.Timestamp.UtcDateTime)], NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.TimestampTz });
            insert.Parameters.Add(TextArray([.. fresh.Select(e => e.Code)]));
            insert.Parameters.Add(TextArray([.. fresh.Select(e => e.State.ToString())]));
            insert.Parameters.Add(TextArray([.. fresh.Select(e => e.Severity.ToString())]));
            insert.Parameters.Add(TextArray([.. fresh.Select(e => e.Message)]));
            insert.Parameters.Add(TextArray([.. fresh.Select(e => e.Point)]));
            insert.Parameters.Add(new NpgsqlParameter<double?[]> { TypedValue = [.. fresh.Select(e => e.Value)], NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Double });
            await insert.ExecuteNonQueryAsync().ConfigureAwait(false);
        }

        await using (var advance = new NpgsqlCommand($"update {_s}.streams set last_seq = $2 where id = $1", connection, transaction))
        {
            advance.Parameters.Add(new NpgsqlParameter<int> { TypedValue = streamId });
            advance.Parameters.Add(new NpgsqlParameter<long> { TypedValue = watermark });
            await advance.ExecuteNonQueryAsync().ConfigureAwait(false);
        }

        await transaction.CommitAsync().ConfigureAwait(false);
        return new StoreBatchResult(fresh.Count, duplicates);
    }

    /// <summary>
    /// Reads the stream's watermark and locks its row until the transaction ends, creating the row for a new stream.
    /// A concurrent writer of the same stream waits here and then reads the watermark the first one committed.
    /// </summary>
    private async Task<(int Id, long Watermark)> LockStreamAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string source, string stream)
    {
        for (var created = false; ; created = true)
        {
            await using (var select = new NpgsqlCommand(
                $"select id, last_seq from {_s}.streams where source = $1 and stream = $2 for update", connection, transaction))
            {
                select.Parameters.Add(Text(source));
                select.Parameters.Add(Text(stream));
                await using var reader = await select.ExecuteReaderAsync().ConfigureAwait(false);
                if (await reader.ReadAsync().ConfigureAwait(false))
                {
                    var id = reader.GetInt32(0);
                    _streamNames.TryAdd(id, (source, stream));
                    return (id, reader.GetInt64(1));
                }
            }

            if (created)
                throw new InvalidOperationException($"The watermark row of {source}/{stream} vanished while it was being created.");

            await using var insert = new NpgsqlCommand(
                $"insert into {_s}.streams (source, stream, last_seq) values ($1, $2, 0) on conflict (source, stream) do nothing",
                connection,
                transaction);
            insert.Parameters.Add(Text(source));
            insert.Parameters.Add(Text(stream));
            await insert.ExecuteNonQueryAsync().ConfigureAwait(false);
        }
    }

    private async Task<(string Source, string Stream)> StreamNameAsync(int streamId, CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand($"select source, stream from {_s}.streams where id = $1");
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = streamId });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            throw new InvalidDataException($"Samples refer to stream {streamId}, which {_s}.streams does not hold.");
        var name = (reader.GetString(0), reader.GetString(1));
        _streamNames.TryAdd(streamId, name);
        return name;
    }

    private void RequireInitialized()
    {
        if (!_initialized)
            throw new InvalidOperationException($"The PostgreSQL fleet store at {Endpoint} is not initialised: call InitializeAsync first.");
    }

    private static void RequireWindow(DateTimeOffset from, DateTimeOffset to)
    {
        if (from > to)
            throw new ArgumentException($"The window must not end ({to:O}) before it starts ({from:O}).", nameof(to));
    }

    /// <summary>Refuses what validation upstream never lets through: an empty name, or a NUL, which PostgreSQL's text cannot hold.</summary>
    private static void RequireName(string? value, string paramName)
    {
        ArgumentException.ThrowIfNullOrEmpty(value, paramName);
        if (value.Contains('\0', StringComparison.Ordinal))
            throw new ArgumentException($"A name stored in PostgreSQL must not contain NUL; got '{value.Replace('\0', '?')}'.", paramName);
    }

    private static DeviceSummary ReadDevice(NpgsqlDataReader reader) => new(
        reader.GetString(0),
        reader.IsDBNull(1) ? null : reader.GetString(1),
        reader.IsDBNull(2) ? null : reader.GetString(2),
        ReadTime(reader, 3),
        ReadTime(reader, 4),
        reader.GetInt64(5));

    private static DeviceTwin ReadTwin(NpgsqlDataReader reader) => new(
        reader.GetString(0),
        reader.IsDBNull(1) ? null : JsonSerializer.Deserialize(reader.GetString(1), ContractsJson.Default.DesiredState),
        reader.IsDBNull(2) ? null : JsonSerializer.Deserialize(reader.GetString(2), ContractsJson.Default.ReportedState),
        reader.IsDBNull(3) ? null : ReadTime(reader, 3));

    private static DateTimeOffset ReadTime(NpgsqlDataReader reader, int ordinal) =>
        new(reader.GetFieldValue<DateTime>(ordinal), TimeSpan.Zero);

    /// <summary>PostgreSQL keeps microseconds; what is returned must equal what reads back.</summary>
    private static DateTimeOffset TruncateToMicroseconds(DateTimeOffset time) =>
        new(time.UtcTicks - (time.UtcTicks % 10), TimeSpan.Zero);

    private static NpgsqlParameter<string?> Text(string? value) => new() { TypedValue = value, NpgsqlDbType = NpgsqlDbType.Text };

    private static NpgsqlParameter<string?> Json(string value) => new() { TypedValue = value, NpgsqlDbType = NpgsqlDbType.Json };

    private static NpgsqlParameter<string?[]> TextArray(string?[] values) =>
        new() { TypedValue = values, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text };

    private static NpgsqlParameter<DateTime> Time(DateTimeOffset value) =>
        new() { TypedValue = value.UtcDateTime, NpgsqlDbType = NpgsqlDbType.TimestampTz };

    [LoggerMessage(Level = LogLevel.Information, Message = "Fleet store opened on PostgreSQL {Endpoint}, schema {Schema}")]
    private static partial void LogOpened(ILogger logger, string endpoint, string schema);

    [LoggerMessage(Level = LogLevel.Information, Message = "Fleet store on PostgreSQL {Endpoint}, schema {Schema}, closed")]
    private static partial void LogClosed(ILogger logger, string endpoint, string schema);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Fleet store on PostgreSQL {Endpoint} does not answer")]
    private static partial void LogUnavailable(ILogger logger, string endpoint, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Storing a batch of {SourceId}/{Stream} again after: {Reason}")]
    private static partial void LogRetried(ILogger logger, string sourceId, string stream, string reason);

    private sealed class DeviceRow
    {
        public string? Model;
        public DateTime LastSeen;
        public long Readings;
    }
}
