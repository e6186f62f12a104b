using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using CivicEdge.Fleet.Contracts;
using CivicEdge.Fleet.Core;
using LiteDB;
using JsonSerializer = System.Text.Json.JsonSerializer;
using Microsoft.Extensions.Logging;

namespace CivicEdge.Fleet.Storage.LiteDb;

/// <summary>
/// The embedded fleet store: one LiteDB file. A reading is one document holding all its points, keyed by (device,
/// time), and each device has one document with its summary and the current value of every point; batches waiting to be stored are written together in
/// one transaction (readings, current values, devices and stream watermarks), so that one journal sync serves them all.
/// </summary>
/// <remarks>
/// LiteDB is synchronous and binds a transaction to the thread that opened it. Batches are written by one thread of the
/// store's own: callers queue them and get a task that completes once they are committed, so no thread of the pool
/// waits on a disk sync, and the writer takes every batch queued meanwhile into the same transaction (group commit).
/// Reads run on the caller's thread and complete before returning. Every operation, read or write, holds one lock:
/// LiteDB 5 corrupts its in-memory state when transactions overlap in some ways (a collection read while another
/// transaction creates it closes the engine: LiteDB bug #2792); long reads (aggregation, export, retention) take the
/// lock page by page, so ingest goes on between pages. All collections are created on opening, before anyone reads them. Times are
/// stored as BSON dates, which hold milliseconds.
/// </remarks>
public sealed partial class LiteDbFleetStore : IFleetStore, ITelemetryHistory, IDisposable
{
    /// <summary>The layout this version writes, kept in the file's user version (1: one document per sample).</summary>
    internal const int Layout = 2;

    /// <summary>The most batches written in one transaction; a transaction's dirty pages stay in memory until it commits.</summary>
    private const int MaxBatchesPerCommit = 64;

    /// <summary>Readings read under the lock at a time by aggregation, export and retention.</summary>
    private const int PageSize = 2_000;

    private const string ReadingsName = "readings";
    private const string DevicesName = "devices";
    private const string StreamsName = "streams";
    private const string SourcesName = "sources";
    private const string TwinsName = "twins";
    private const string HealthName = "health";
    private const string EventsName = "events";

    private readonly LiteDatabase _database;
    private readonly ILiteCollection<BsonDocument> _readings;
    private readonly ILiteCollection<BsonDocument> _devices;
    private readonly ILiteCollection<BsonDocument> _streams;
    private readonly ILiteCollection<BsonDocument> _sources;
    private readonly ILiteCollection<BsonDocument> _twins;
    private readonly ILiteCollection<BsonDocument> _health;
    private readonly ILiteCollection<BsonDocument> _events;
    private readonly Lock _gate = new();
    private readonly ConcurrentQueue<PendingWrite> _pending = new();
    private readonly SemaphoreSlim _queued = new(0);
    private readonly Thread _writer;
    private readonly ILogger<LiteDbFleetStore> _logger;
    private readonly string _path;
    private bool _disposed;

    /// <summary>Opens (or creates) the store file named by <paramref name="options"/>.</summary>
    /// <exception cref="ArgumentException">The path is empty.</exception>
    /// <exception cref="InvalidOperationException">The file cannot be opened, e.g. it is in use or was made with another collation.</exception>
    public LiteDbFleetStore(LiteDbFleetStoreOptions options, ILogger<LiteDbFleetStore> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(logger);
        ArgumentException.ThrowIfNullOrWhiteSpace(options.Path, nameof(options.Path));

        _logger = logger;
        _path = Path.GetFullPath(options.Path);
        _database = LiteDbFile.Open(_path, "the fleet store");

        _readings = _database.GetCollection(ReadingsName, BsonAutoId.ObjectId);
        _devices = _database.GetCollection(DevicesName, BsonAutoId.ObjectId);
        _streams = _database.GetCollection(StreamsName, BsonAutoId.ObjectId);
        _sources = _database.GetCollection(SourcesName, BsonAutoId.ObjectId);
        _twins = _database.GetCollection(TwinsName, BsonAutoId.ObjectId);
        _health = _database.GetCollection(HealthName, BsonAutoId.ObjectId);
        _events = _database.GetCollection(EventsName, BsonAutoId.ObjectId);
        try
        {
            if (LegacyLayoutUpgrade.IsNeeded(_database))
                LogUpgraded(_logger, _path, LegacyLayoutUpgrade.Run(_database, PageSize));
            CreateCollections();
            _events.EnsureIndex("time");
            OpenAccessCollections();
            OpenAlarmCollection();
            OpenCommandCollections();
            OpenArtifactCollections();
            OpenCampaignCollection();
            OpenOtaStatusCollection();
            _database.UserVersion = Layout;
        }
        catch
        {
            _database.Dispose();
            throw;
        }

        _writer = new Thread(WriteQueued) { IsBackground = true, Name = "LiteDB fleet store writer" };
        _writer.Start();
        LogOpened(_logger, _path);
    }

    public Task<StoreBatchResult> StoreBatchAsync(TelemetryBatch batch, DateTimeOffset receivedAt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        StoreKeys.RequireName(batch.Source, nameof(batch));
        StoreKeys.RequireName(batch.Stream, nameof(batch));
        ArgumentNullException.ThrowIfNull(batch.Records, nameof(batch));
        return Write(cancellationToken, () => WriteBatch(batch, ToStoredTime(receivedAt)));
    }

    public Task<StoreBatchResult> StoreEventsAsync(EventBatch batch, DateTimeOffset receivedAt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        StoreKeys.RequireName(batch.Source, nameof(batch));
        StoreKeys.RequireName(batch.Stream, nameof(batch));
        ArgumentNullException.ThrowIfNull(batch.Records, nameof(batch));
        return Write(cancellationToken, () => WriteEvents(batch, ToStoredTime(receivedAt)));
    }

    public Task<IReadOnlyList<EventEntry>> GetEventsAsync(string? deviceId, DateTimeOffset from, DateTimeOffset to, int limit, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        if (from > to)
            throw new ArgumentException($"The window must not end ({to:O}) before it starts ({from:O}).", nameof(to));

        return Task.FromResult(Run<IReadOnlyList<EventEntry>>(cancellationToken, () =>
        {
            if (deviceId is { Length: 0 })
                return [];

            // Newest first along an index, then turned round: the newest events win when the window holds more.
            var query = deviceId is null
                ? _events.Query().Where(Query.Between("time", ToStoredTime(from), ToStoredTime(to))).OrderByDescending("time")
                : _events.Query()
                    .Where(Query.Between("_id", StoreKeys.EventAt(deviceId, ToStoredTime(from)), StoreKeys.EventAfter(deviceId, ToStoredTime(to))))
                    .OrderByDescending("_id");
            var documents = query.Limit(limit).ToList();
            documents.Reverse();
            return documents.Select(ToEventEntry).ToList();
        }));
    }

    public Task RecordSourceStateAsync(SourceState state, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(state);
        StoreKeys.RequireName(state.SourceId, nameof(state));

        var time = ToStoredTime(state.Timestamp);
        Run(cancellationToken, () =>
        {
            var held = _sources.FindById(state.SourceId);
            if (held is not null && held["time"].AsDateTime > time)
                return;

            _sources.Upsert(new BsonDocument
            {
                ["_id"] = state.SourceId,
                ["online"] = state.Online,
                ["version"] = state.Version,
                ["time"] = time,
            });
        });
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<SourceState>> ListSourcesAsync(CancellationToken cancellationToken) =>
        Task.FromResult(Run<IReadOnlyList<SourceState>>(cancellationToken, () => _sources.FindAll()
            .Select(document => new SourceState(
                document["_id"].AsString,
                document["online"].AsBoolean,
                NullableString(document["version"]),
                FromStoredTime(document["time"])))
            .ToList()));

    public Task<IReadOnlyList<DeviceSummary>> ListDevicesAsync(CancellationToken cancellationToken) =>
        Task.FromResult(Run<IReadOnlyList<DeviceSummary>>(cancellationToken, () => _devices.Query()
            .Select("{ _id: $._id, model: $.model, gateway: $.gateway, firstSeen: $.firstSeen, lastSeen: $.lastSeen, readings: $.readings }")
            .ToEnumerable()
            .Select(ToDeviceSummary)
            .ToList()));

    public Task<DeviceSummary?> FindDeviceAsync(string deviceId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(deviceId);
        return Task.FromResult(Run(cancellationToken, () =>
            deviceId.Length > 0 && _devices.FindById(deviceId) is { } document ? ToDeviceSummary(document) : null));
    }

    public Task<IReadOnlyList<LatestValue>> GetLatestValuesAsync(string deviceId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(deviceId);
        return Task.FromResult(Run<IReadOnlyList<LatestValue>>(cancellationToken, () => CurrentOf(deviceId)
            .Select(point => new LatestValue(
                point["n"].AsString,
                point["v"].AsDouble,
                point["u"].AsString,
                NullableString(point["k"]),
                QualityOf(point),
                FromStoredTime(point["t"])))
            .ToList()));
    }

    public Task<IReadOnlyList<PointSeries>> GetSeriesAsync(
        string deviceId,
        DateTimeOffset from,
        DateTimeOffset to,
        int maxSamplesPerPoint,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(deviceId);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxSamplesPerPoint, 1);
        if (from > to)
            throw new ArgumentException($"The window must not end ({to:O}) before it starts ({from:O}).", nameof(to));

        return Task.FromResult(Run(cancellationToken, () => ReadSeries(deviceId, from, to, maxSamplesPerPoint)));
    }

    public Task<IReadOnlyList<AggregatedSeries>> AggregateAsync(AggregateQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        query.Validate();
        cancellationToken.ThrowIfCancellationRequested();

        var current = Run(cancellationToken, () => CurrentOf(query.DeviceId));
        var accumulators = new SortedDictionary<string, (BucketAccumulator Buckets, BsonDocument Current)>(StringComparer.Ordinal);
        foreach (var point in current)
        {
            var name = point["n"].AsString;
            if (query.Points is null || query.Points.Contains(name))
                accumulators[name] = (new BucketAccumulator(query), point);
        }

        if (accumulators.Count > 0)
        {
            foreach (var page in ReadingPages(query.DeviceId, query.From, query.To, cancellationToken))
            {
                foreach (var reading in page)
                {
                    var time = FromStoredTime(reading["t"]);
                    foreach (var point in reading["pts"].AsArray.Select(value => value.AsDocument))
                    {
                        if (accumulators.TryGetValue(point["n"].AsString, out var accumulator))
                            accumulator.Buckets.Add(time, point["v"].AsDouble, QualityOf(point));
                    }
                }
            }
        }

        return Task.FromResult<IReadOnlyList<AggregatedSeries>>(accumulators
            .Where(entry => !entry.Value.Buckets.IsEmpty)
            .Select(entry => new AggregatedSeries(
                entry.Key,
                entry.Value.Current["u"].AsString,
                NullableString(entry.Value.Current["k"]),
                entry.Value.Buckets.ToBuckets()))
            .ToList());
    }

    public async IAsyncEnumerable<StoredSample> ReadSamplesAsync(
        string deviceId,
        IReadOnlyCollection<string>? points,
        DateTimeOffset from,
        DateTimeOffset to,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(deviceId);
        if (from > to)
            throw new ArgumentException($"The window must not end ({to:O}) before it starts ({from:O}).", nameof(to));

        var names = Run(cancellationToken, () => CurrentOf(deviceId))
            .Select(point => point["n"].AsString)
            .Where(name => points is null || points.Contains(name))
            .ToList();

        // One pass over the device's readings per point, a page under the lock at a time: the order is by point, and
        // nothing of a long export waits in memory.
        foreach (var name in names)
        {
            foreach (var page in ReadingPages(deviceId, from, to, cancellationToken))
            {
                var samples = new List<StoredSample>();
                foreach (var reading in page)
                {
                    foreach (var point in reading["pts"].AsArray.Select(value => value.AsDocument))
                    {
                        if (point["n"].AsString != name)
                            continue;
                        samples.Add(new StoredSample(
                            deviceId,
                            name,
                            FromStoredTime(reading["t"]),
                            point["v"].AsDouble,
                            point["u"].AsString,
                            NullableString(point["k"]),
                            QualityOf(point),
                            reading["src"].AsString,
                            reading["str"].AsString,
                            reading["seq"].AsInt64));
                        break;
                    }
                }

                foreach (var sample in samples)
                    yield return sample;
                await Task.Yield();
            }
        }
    }

    public Task<long> DeleteTelemetryBeforeAsync(DateTimeOffset cutoff, CancellationToken cancellationToken)
    {
        var before = ToStoredTime(cutoff);
        return Task.Run(
            () =>
            {
                var devices = Run(cancellationToken, () => _devices.Query().Select("_id").ToEnumerable().Select(document => document["_id"].AsString).ToList());
                var removed = 0L;
                foreach (var deviceId in devices)
                {
                    // A key at the cutoff's ticks with no suffix is below every reading at the cutoff: those stay.
                    var range = Query.Between("_id", StoreKeys.ReadingAt(deviceId, DateTime.MinValue), StoreKeys.ReadingAt(deviceId, before));
                    removed += DeleteInSlices(_readings, range, reading => reading["pts"].AsArray.Count, cancellationToken);
                }

                return removed;
            },
            cancellationToken);
    }

    public Task<long> DeleteEventsBeforeAsync(DateTimeOffset cutoff, CancellationToken cancellationToken)
    {
        var before = ToStoredTime(cutoff);
        return Task.Run(() => DeleteInSlices(_events, Query.LT("time", before), _ => 1, cancellationToken), cancellationToken);
    }

    /// <summary>
    /// Deletes what <paramref name="filter"/> selects, <see cref="PageSize"/> documents per transaction, taking the lock
    /// per slice; returns the sum of <paramref name="weight"/> over the documents deleted.
    /// </summary>
    private long DeleteInSlices(ILiteCollection<BsonDocument> collection, BsonExpression filter, Func<BsonDocument, long> weight, CancellationToken cancellationToken)
    {
        var removed = 0L;
        while (true)
        {
            var (deleted, weighed) = Run(cancellationToken, () => InTransaction(() =>
            {
                var documents = collection.Query().Where(filter).Limit(PageSize).ToList();
                foreach (var document in documents)
                    collection.Delete(document["_id"]);
                return (documents.Count, documents.Sum(weight));
            }));
            removed += weighed;
            if (deleted < PageSize)
                return removed;
        }
    }

    /// <summary>
    /// The readings of a device within the window, oldest first, <see cref="PageSize"/> at a time, each page read under
    /// the lock and handed over outside it.
    /// </summary>
    private IEnumerable<List<BsonDocument>> ReadingPages(string deviceId, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        if (deviceId.Length == 0)
            yield break;

        var last = StoreKeys.ReadingAfter(deviceId, ToStoredTime(to));
        var next = StoreKeys.ReadingAt(deviceId, ToStoredTime(from));
        while (true)
        {
            var lowest = next;
            var page = Run(cancellationToken, () => _readings.Query()
                .Where(Query.Between("_id", lowest, last))
                .OrderBy("_id")
                .Limit(PageSize)
                .ToList());
            if (page.Count > 0)
                yield return page;
            if (page.Count < PageSize)
                yield break;

            // The lowest key above the last one read.
            next = page[^1]["_id"].AsString + "\0";
        }
    }

    /// <summary>
    /// Queues <paramref name="write"/> for the writer thread, which writes it in a transaction shared with every other
    /// write queued meanwhile and commits once. When that transaction fails, each write is tried again alone, so one
    /// write the store refuses does not fail the others.
    /// </summary>
    private Task<T> Write<T>(CancellationToken cancellationToken, Func<T> write)
    {
        cancellationToken.ThrowIfCancellationRequested();
        ObjectDisposedException.ThrowIf(_disposed, this);
        var pending = new PendingWrite<T>(write);
        _pending.Enqueue(pending);
        _queued.Release();

        // Closed meanwhile: the writer may have stopped before it saw this write.
        if (Volatile.Read(ref _disposed))
            FailAbandoned();
        return pending.Task;
    }

    /// <summary>The writer thread: writes what is queued until the store is closed, then fails what is left.</summary>
    private void WriteQueued()
    {
        while (true)
        {
            _queued.Wait();
            lock (_gate)
            {
                if (_disposed)
                    break;
                WritePending();
            }
        }

        FailAbandoned();
    }

    private void FailAbandoned()
    {
        while (_pending.TryDequeue(out var abandoned))
            abandoned.Fail(new ObjectDisposedException(nameof(LiteDbFleetStore), $"The fleet store at {_path} was closed before the write was committed."));
    }

    /// <summary>Writes up to <see cref="MaxBatchesPerCommit"/> queued writes; called under the lock.</summary>
    private void WritePending()
    {
        var group = new List<PendingWrite>();
        while (group.Count < MaxBatchesPerCommit && _pending.TryDequeue(out var next))
            group.Add(next);
        if (group.Count == 0)
            return;

        try
        {
            InWriterTransaction(() => group.ForEach(pending => pending.Execute()));
            group.ForEach(pending => pending.Committed());
        }
        catch (Exception) when (group.Count > 1)
        {
            foreach (var pending in group)
            {
                try
                {
                    InWriterTransaction(pending.Execute);
                    pending.Committed();
                }
                catch (Exception exception)
                {
                    pending.Fail(exception);
                }
            }
        }
        catch (Exception exception)
        {
            group[0].Fail(exception);
        }
    }

    /// <summary>
    /// Runs queued writes in one transaction; when it rolls back, the status report numbering and count the store keeps
    /// in memory go back with it, so that a retried or refused report neither skips an id nor counts against the bound.
    /// </summary>
    private void InWriterTransaction(Action writes)
    {
        var (lastOtaStatusId, pendingOtaStatus) = (_lastOtaStatusId, _pendingOtaStatus);
        try
        {
            InTransaction(() =>
            {
                writes();
                return true;
            });
        }
        catch
        {
            (_lastOtaStatusId, _pendingOtaStatus) = (lastOtaStatusId, pendingOtaStatus);
            throw;
        }
    }

    public Task<DesiredState> SetDesiredAsync(string deviceId, DesiredConfiguration? configuration, DateTimeOffset updatedAt, CancellationToken cancellationToken)
    {
        StoreKeys.RequireName(deviceId, nameof(deviceId));
        return Task.FromResult(Run(cancellationToken, () => InTransaction(() =>
        {
            var twin = _twins.FindById(deviceId) ?? new BsonDocument { ["_id"] = deviceId, ["version"] = 0L };
            var state = new DesiredState(twin["version"].AsInt64 + 1, new DateTimeOffset(ToStoredTime(updatedAt), TimeSpan.Zero), configuration);
            twin["version"] = state.Version;
            twin["desired"] = JsonSerializer.Serialize(state, ContractsJson.Default.DesiredState);
            _twins.Upsert(twin);
            return state;
        })));
    }

    public Task RecordReportedAsync(ReportedState state, DateTimeOffset receivedAt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(state);
        StoreKeys.RequireName(state.SourceId, nameof(state));
        var time = ToStoredTime(state.Timestamp);
        Run(cancellationToken, () => InTransaction(() =>
        {
            var twin = _twins.FindById(state.SourceId) ?? new BsonDocument { ["_id"] = state.SourceId, ["version"] = 0L };
            if (twin.TryGetValue("reportedTime", out var held) && held.AsDateTime > time)
                return false;
            twin["reported"] = JsonSerializer.Serialize(state, ContractsJson.Default.ReportedState);
            twin["reportedTime"] = time;
            twin["reportedAt"] = ToStoredTime(receivedAt);
            return _twins.Upsert(twin);
        }));
        return Task.CompletedTask;
    }

    public Task<DeviceTwin?> GetTwinAsync(string deviceId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(deviceId);
        return Task.FromResult(Run(cancellationToken, () =>
            deviceId.Length > 0 && _twins.FindById(deviceId) is { } document ? ToTwin(document) : null));
    }

    public Task<IReadOnlyList<DeviceTwin>> ListTwinsAsync(CancellationToken cancellationToken) =>
        Task.FromResult(Run<IReadOnlyList<DeviceTwin>>(cancellationToken, () => _twins.FindAll().Select(ToTwin).ToList()));

    public Task RecordHealthAsync(HealthReport report, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(report);
        StoreKeys.RequireName(report.SourceId, nameof(report));
        var time = ToStoredTime(report.Timestamp);
        Run(cancellationToken, () =>
        {
            var held = _health.FindById(report.SourceId);
            if (held is not null && held["time"].AsDateTime > time)
                return;
            _health.Upsert(new BsonDocument
            {
                ["_id"] = report.SourceId,
                ["time"] = time,
                ["json"] = JsonSerializer.Serialize(report, ContractsJson.Default.HealthReport),
            });
        });
        return Task.CompletedTask;
    }

    public Task<HealthReport?> GetHealthAsync(string sourceId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sourceId);
        return Task.FromResult(Run(cancellationToken, () =>
            sourceId.Length > 0 && _health.FindById(sourceId) is { } document
                ? JsonSerializer.Deserialize(document["json"].AsString, ContractsJson.Default.HealthReport)
                : null));
    }

    public Task<bool> IsAvailableAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            if (_disposed)
                return Task.FromResult(false);

            try
            {
                return Task.FromResult(_database.CollectionExists(DevicesName));
            }
            catch (Exception exception) when (exception is LiteException or IOException)
            {
                LogUnavailable(_logger, _path, exception);
                return Task.FromResult(false);
            }
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed)
                return;

            _disposed = true;
            _database.Dispose();
        }

        _queued.Release();
        if (Thread.CurrentThread != _writer)
            _writer.Join();
        LogClosed(_logger, _path);
    }

    private IReadOnlyList<PointSeries> ReadSeries(string deviceId, DateTimeOffset from, DateTimeOffset to, int maxSamplesPerPoint)
    {
        var points = CurrentOf(deviceId).Count;
        if (points == 0)
            return [];

        // Newest first along the primary index, until every point has its fill: the newest samples win when the
        // window holds more.
        var newestFirst = new SortedDictionary<string, List<(DateTime Time, BsonDocument Point)>>(StringComparer.Ordinal);
        var full = 0;
        var readings = _readings.Query()
            .Where(Query.Between("_id", StoreKeys.ReadingAt(deviceId, ToStoredTime(from)), StoreKeys.ReadingAfter(deviceId, ToStoredTime(to))))
            .OrderByDescending("_id")
            .ToEnumerable();
        foreach (var reading in readings)
        {
            var time = reading["t"].AsDateTime;
            foreach (var point in reading["pts"].AsArray.Select(value => value.AsDocument))
            {
                var name = point["n"].AsString;
                if (!newestFirst.TryGetValue(name, out var samples))
                    newestFirst[name] = samples = [];
                if (samples.Count < maxSamplesPerPoint)
                {
                    samples.Add((time, point));
                    if (samples.Count == maxSamplesPerPoint)
                        full++;
                }
            }

            if (full >= points)
                break;
        }

        return newestFirst.Select(entry =>
        {
            var newest = entry.Value[0].Point;
            return new PointSeries(
                entry.Key,
                newest["u"].AsString,
                NullableString(newest["k"]),
                entry.Value.AsEnumerable().Reverse().Select(sample => new Sample(FromStoredTime(sample.Time), sample.Point["v"].AsDouble, QualityOf(sample.Point))).ToList());
        }).ToList();
    }

    /// <summary>Runs one operation under the store's lock, unless cancelled before it starts or the store is closed.</summary>
    private T Run<T>(CancellationToken cancellationToken, Func<T> operation)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return operation();
        }
    }

    private void Run(CancellationToken cancellationToken, Action operation) =>
        Run(cancellationToken, () =>
        {
            operation();
            return true;
        });

    /// <summary>Runs <paramref name="operation"/> in one explicit transaction: committed whole or rolled back whole.</summary>
    private T InTransaction<T>(Func<T> operation)
    {
        if (!_database.BeginTrans())
            throw new InvalidOperationException("A LiteDB transaction is already open on this thread.");

        try
        {
            var result = operation();
            _database.Commit();
            return result;
        }
        catch
        {
            _database.Rollback();
            throw;
        }
    }

    /// <summary>Creates the collections that do not exist yet, by inserting and deleting a placeholder in each.</summary>
    private void CreateCollections()
    {
        const string placeholder = "\u001f";
        InTransaction(() =>
        {
            foreach (var collection in new[] { _readings, _devices, _streams, _sources, _twins, _health, _events })
            {
                if (!_database.CollectionExists(collection.Name))
                {
                    collection.Insert(new BsonDocument { ["_id"] = placeholder });
                    collection.Delete(placeholder);
                }
            }

            return true;
        });
    }

    private StoreBatchResult WriteBatch(TelemetryBatch batch, DateTime receivedAt)
    {
        var streamKey = StoreKeys.Stream(batch.Source, batch.Stream);
        var (fresh, duplicates, watermark) = StreamWatermark.Split(
            batch.Records, record => (record ?? throw new ArgumentNullException(nameof(batch))).Seq, _streams.FindById(streamKey)?["lastSeq"].AsInt64 ?? 0);
        var devices = new Dictionary<string, (BsonDocument Document, bool IsNew)>(StringComparer.Ordinal);
        var newest = new Dictionary<string, Dictionary<string, BsonDocument>>(StringComparer.Ordinal);
        var readings = new List<BsonDocument>();

        foreach (var record in fresh)
        {
            StoreKeys.RequireName(record.DeviceId, nameof(batch));
            var time = ToStoredTime(record.Timestamp);
            TrackDevice(devices, record, batch.Source, time, receivedAt);
            if (!newest.TryGetValue(record.DeviceId, out var current))
                newest[record.DeviceId] = current = new Dictionary<string, BsonDocument>(StringComparer.Ordinal);

            var points = new BsonArray();
            foreach (var point in record.Points)
            {
                StoreKeys.RequireName(point.Name, nameof(batch));
                points.Add(new BsonDocument
                {
                    ["n"] = point.Name,
                    ["v"] = point.Value,
                    ["q"] = (int)QualityCodes.ToCode(point.Quality),
                    ["u"] = point.Unit,
                    ["k"] = point.Quantity,
                });
                if (!current.TryGetValue(point.Name, out var held) || held["t"].AsDateTime <= time)
                {
                    current[point.Name] = new BsonDocument
                    {
                        ["n"] = point.Name,
                        ["v"] = point.Value,
                        ["q"] = (int)QualityCodes.ToCode(point.Quality),
                        ["u"] = point.Unit,
                        ["k"] = point.Quantity,
                        ["t"] = time,
                    };
                }
            }

            readings.Add(new BsonDocument
            {
                ["_id"] = StoreKeys.Reading(record.DeviceId, time),
                ["t"] = time,
                ["src"] = batch.Source,
                ["str"] = batch.Stream,
                ["seq"] = record.Seq,
                ["pts"] = points,
            });
        }

        if (readings.Count == 0)
            return new StoreBatchResult(0, duplicates);

        _readings.Insert(readings);
        foreach (var (deviceId, (device, isNew)) in devices)
        {
            MergeCurrent(device, newest[deviceId].Values);
            if (isNew)
                _devices.Insert(device);
            else
                _devices.Update(device);
        }

        _streams.Upsert(new BsonDocument { ["_id"] = streamKey, ["lastSeq"] = watermark });
        return new StoreBatchResult(readings.Count, duplicates);
    }

    /// <summary>Sets the current value of each point in the device's document to the newer of held and given, ordered by point name.</summary>
    private static void MergeCurrent(BsonDocument device, IEnumerable<BsonDocument> points)
    {
        var merged = new SortedDictionary<string, BsonDocument>(StringComparer.Ordinal);
        foreach (var held in PointsOf(device))
            merged[held["n"].AsString] = held;
        foreach (var point in points)
        {
            var name = point["n"].AsString;
            if (!merged.TryGetValue(name, out var held) || held["t"].AsDateTime <= point["t"].AsDateTime)
                merged[name] = point;
        }

        device["pts"] = new BsonArray(merged.Values);
    }

    private StoreBatchResult WriteEvents(EventBatch batch, DateTime receivedAt)
    {
        var streamKey = StoreKeys.Stream(batch.Source, batch.Stream);
        var (fresh, duplicates, watermark) = StreamWatermark.Split(
            batch.Records, record => (record ?? throw new ArgumentNullException(nameof(batch))).Seq, _streams.FindById(streamKey)?["lastSeq"].AsInt64 ?? 0);
        var documents = new List<BsonDocument>();
        foreach (var record in fresh)
        {
            StoreKeys.RequireName(record.DeviceId, nameof(batch));
            var time = ToStoredTime(record.Timestamp);
            documents.Add(new BsonDocument
            {
                ["_id"] = StoreKeys.Event(record.DeviceId, time, batch.Source, record.Seq),
                ["source"] = batch.Source,
                ["seq"] = record.Seq,
                ["device"] = record.DeviceId,
                ["time"] = time,
                ["code"] = record.Code,
                ["state"] = record.State.ToString(),
                ["severity"] = record.Severity.ToString(),
                ["message"] = record.Message,
                ["point"] = record.Point,
                ["value"] = record.Value is { } value ? new BsonValue(value) : BsonValue.Null,
                ["received"] = receivedAt,
            });
        }

        if (documents.Count == 0)
            return new StoreBatchResult(0, duplicates);

        _events.Insert(documents);
        _streams.Upsert(new BsonDocument { ["_id"] = streamKey, ["lastSeq"] = watermark });
        return new StoreBatchResult(documents.Count, duplicates);
    }

    private static EventEntry ToEventEntry(BsonDocument document) => new(
        document["source"].AsString,
        document["seq"].AsInt64,
        document["device"].AsString,
        FromStoredTime(document["time"]),
        document["code"].AsString,
        Enum.Parse<EventState>(document["state"].AsString),
        Enum.Parse<EventSeverity>(document["severity"].AsString),
        document["message"].AsString,
        NullableString(document["point"]),
        document["value"].IsNull ? null : document["value"].AsDouble,
        FromStoredTime(document["received"]));

    private void TrackDevice(
        Dictionary<string, (BsonDocument Document, bool IsNew)> devices,
        TelemetryRecord record,
        string sourceId,
        DateTime time,
        DateTime receivedAt)
    {
        if (!devices.TryGetValue(record.DeviceId, out var tracked))
        {
            var held = _devices.FindById(record.DeviceId);
            tracked = (held ?? new BsonDocument
            {
                ["_id"] = record.DeviceId,
                ["model"] = BsonValue.Null,
                ["firstSeen"] = receivedAt,
                ["lastSeen"] = time,
                ["readings"] = 0L,
                ["pts"] = new BsonArray(),
            }, held is null);
            devices[record.DeviceId] = tracked;
        }

        var device = tracked.Document;

        if (record.Model is not null)
            device["model"] = record.Model;
        device["gateway"] = sourceId;
        if (device["lastSeen"].AsDateTime < time)
            device["lastSeen"] = time;
        device["readings"] = device["readings"].AsInt64 + 1;
    }

    /// <summary>The current value of every point of a device, ordered by point name.</summary>
    private List<BsonDocument> CurrentOf(string deviceId) =>
        deviceId.Length > 0 && _devices.FindById(deviceId) is { } device ? PointsOf(device) : [];

    private static List<BsonDocument> PointsOf(BsonDocument device) =>
        device.TryGetValue("pts", out var points) ? points.AsArray.Select(point => point.AsDocument).ToList() : [];

    private static Quality QualityOf(BsonDocument point) => QualityCodes.FromCode((short)point["q"].AsInt32);

    /// <summary>
    /// A twin's desired and reported states are kept as the JSON of their contracts, so that they read back exactly as
    /// they were sent, whatever the contracts grow.
    /// </summary>
    private static DeviceTwin ToTwin(BsonDocument document) => new(
        document["_id"].AsString,
        document.TryGetValue("desired", out var desired) ? JsonSerializer.Deserialize(desired.AsString, ContractsJson.Default.DesiredState) : null,
        document.TryGetValue("reported", out var reported) ? JsonSerializer.Deserialize(reported.AsString, ContractsJson.Default.ReportedState) : null,
        document.TryGetValue("reportedAt", out var at) ? FromStoredTime(at) : null);

    private static DeviceSummary ToDeviceSummary(BsonDocument document) => new(
        document["_id"].AsString,
        NullableString(document["model"]),
        NullableString(document["gateway"]),
        FromStoredTime(document["firstSeen"]),
        FromStoredTime(document["lastSeen"]),
        document["readings"].AsInt64);

    private static string? NullableString(BsonValue value) => value.IsNull ? null : value.AsString;

    /// <summary>BSON dates hold milliseconds; truncating before storing keeps keys and stored times in step.</summary>
    private static DateTime ToStoredTime(DateTimeOffset time)
    {
        var utc = time.UtcDateTime;
        return new DateTime(utc.Ticks - (utc.Ticks % TimeSpan.TicksPerMillisecond), DateTimeKind.Utc);
    }

    private static DateTimeOffset FromStoredTime(BsonValue value) =>
        new(DateTime.SpecifyKind(value.AsDateTime, DateTimeKind.Utc), TimeSpan.Zero);

    [LoggerMessage(Level = LogLevel.Information, Message = "Fleet store opened at {Path}")]
    private static partial void LogOpened(ILogger logger, string path);

    [LoggerMessage(Level = LogLevel.Information, Message = "Fleet store at {Path} upgraded to one document per reading: {Readings} readings")]
    private static partial void LogUpgraded(ILogger logger, string path, long readings);

    [LoggerMessage(Level = LogLevel.Information, Message = "Fleet store at {Path} closed")]
    private static partial void LogClosed(ILogger logger, string path);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Fleet store at {Path} does not answer")]
    private static partial void LogUnavailable(ILogger logger, string path, Exception exception);

    /// <summary>A write waiting for the writer thread.</summary>
    private abstract class PendingWrite
    {
        /// <summary>Writes; called by the writer thread inside the transaction, possibly again after a rollback.</summary>
        public abstract void Execute();

        /// <summary>Completes the caller's task with what the last <see cref="Execute"/> found, once committed.</summary>
        public abstract void Committed();

        public abstract void Fail(Exception error);
    }

    /// <summary>A write waiting for the writer, and the task its caller awaits.</summary>
    private sealed class PendingWrite<T>(Func<T> work) : PendingWrite
    {
        private readonly TaskCompletionSource<T> _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private T _result = default!;

        public Task<T> Task => _done.Task;

        public override void Execute() => _result = work();

        /// <summary>Completes the caller's task; its continuation runs on the pool, never on the writer thread.</summary>
        public override void Committed() => _done.TrySetResult(_result);

        public override void Fail(Exception error) => _done.TrySetException(error);
    }
}
