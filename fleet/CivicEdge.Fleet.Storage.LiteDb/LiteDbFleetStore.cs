using CivicEdge.Fleet.Contracts;
using CivicEdge.Fleet.Core;
using LiteDB;
using JsonSerializer = System.Text.Json.JsonSerializer;
using Microsoft.Extensions.Logging;

namespace CivicEdge.Fleet.Storage.LiteDb;

/// <summary>
/// The embedded fleet store: one LiteDB file, one transaction per batch (samples, latest values, devices and the stream
/// watermark together).
/// </summary>
/// <remarks>
/// LiteDB is synchronous and binds a transaction to the thread that opened it, so every method runs on the caller's
/// thread, never awaits inside a transaction, and completes its task before returning. Every operation, read or
/// write, holds one lock: LiteDB 5 corrupts its in-memory state when transactions overlap in some ways (a collection
/// read while another transaction creates it closes the engine: LiteDB bug #2792), and the fleet's load is far below
/// what one writer at a time can serve. All collections are also created on opening, before anyone reads them.
/// Times are stored as BSON dates, which hold milliseconds.
/// </remarks>
public sealed partial class LiteDbFleetStore : IFleetStore, IDisposable
{
    private const string SamplesName = "samples";
    private const string LatestName = "latest";
    private const string DevicesName = "devices";
    private const string StreamsName = "streams";
    private const string SourcesName = "sources";
    private const string TwinsName = "twins";
    private const string HealthName = "health";
    private const string EventsName = "events";

    private readonly LiteDatabase _database;
    private readonly ILiteCollection<BsonDocument> _samples;
    private readonly ILiteCollection<BsonDocument> _latest;
    private readonly ILiteCollection<BsonDocument> _devices;
    private readonly ILiteCollection<BsonDocument> _streams;
    private readonly ILiteCollection<BsonDocument> _sources;
    private readonly ILiteCollection<BsonDocument> _twins;
    private readonly ILiteCollection<BsonDocument> _health;
    private readonly ILiteCollection<BsonDocument> _events;
    private readonly Lock _gate = new();
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
        Directory.CreateDirectory(Path.GetDirectoryName(_path)!);

        // Binary collation compares keys ordinally: ids differing only in case stay apart, and the composite keys of
        // StoreKeys sort by their parts. It is fixed when the file is created; LiteDB refuses a file made with another.
        try
        {
            _database = new LiteDatabase(new ConnectionString
            {
                Filename = _path,
                Connection = ConnectionType.Direct,
                Collation = Collation.Binary,
            })
            {
                UtcDate = true,
            };
        }
        catch (Exception exception) when (exception is LiteException or IOException or UnauthorizedAccessException)
        {
            throw new InvalidOperationException($"{_path}: cannot open the fleet store: {exception.Message}", exception);
        }

        _samples = _database.GetCollection(SamplesName, BsonAutoId.ObjectId);
        _latest = _database.GetCollection(LatestName, BsonAutoId.ObjectId);
        _devices = _database.GetCollection(DevicesName, BsonAutoId.ObjectId);
        _streams = _database.GetCollection(StreamsName, BsonAutoId.ObjectId);
        _sources = _database.GetCollection(SourcesName, BsonAutoId.ObjectId);
        _twins = _database.GetCollection(TwinsName, BsonAutoId.ObjectId);
        _health = _database.GetCollection(HealthName, BsonAutoId.ObjectId);
        _events = _database.GetCollection(EventsName, BsonAutoId.ObjectId);
        try
        {
            CreateCollections();
            _events.EnsureIndex("time");
            OpenAccessCollections();
        }
        catch
        {
            _database.Dispose();
            throw;
        }

        LogOpened(_logger, _path);
    }

    public Task<StoreBatchResult> StoreBatchAsync(TelemetryBatch batch, DateTimeOffset receivedAt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        StoreKeys.RequireName(batch.Source, nameof(batch));
        StoreKeys.RequireName(batch.Stream, nameof(batch));
        ArgumentNullException.ThrowIfNull(batch.Records, nameof(batch));
        return Task.FromResult(Run(cancellationToken, () => InTransaction(() => WriteBatch(batch, ToStoredTime(receivedAt)))));
    }

    public Task<StoreBatchResult> StoreEventsAsync(EventBatch batch, DateTimeOffset receivedAt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        StoreKeys.RequireName(batch.Source, nameof(batch));
        StoreKeys.RequireName(batch.Stream, nameof(batch));
        ArgumentNullException.ThrowIfNull(batch.Records, nameof(batch));
        return Task.FromResult(Run(cancellationToken, () => InTransaction(() => WriteEvents(batch, ToStoredTime(receivedAt)))));
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
        Task.FromResult(Run<IReadOnlyList<DeviceSummary>>(cancellationToken, () => _devices.FindAll().Select(ToDeviceSummary).ToList()));

    public Task<DeviceSummary?> FindDeviceAsync(string deviceId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(deviceId);
        return Task.FromResult(Run(cancellationToken, () =>
            deviceId.Length > 0 && _devices.FindById(deviceId) is { } document ? ToDeviceSummary(document) : null));
    }

    public Task<IReadOnlyList<LatestValue>> GetLatestValuesAsync(string deviceId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(deviceId);
        return Task.FromResult(Run<IReadOnlyList<LatestValue>>(cancellationToken, () => LatestOf(deviceId)
            .Select(document => new LatestValue(
                document["point"].AsString,
                document["value"].AsDouble,
                document["unit"].AsString,
                NullableString(document["quantity"]),
                Enum.Parse<Quality>(document["quality"].AsString),
                FromStoredTime(document["time"])))
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

        LogClosed(_logger, _path);
    }

    private IReadOnlyList<PointSeries> ReadSeries(string deviceId, DateTimeOffset from, DateTimeOffset to, int maxSamplesPerPoint)
    {
        var series = new List<PointSeries>();
        foreach (var point in LatestOf(deviceId).Select(document => document["point"].AsString))
        {
            // Newest first along the primary index, then turned round: the newest samples win when the window holds more.
            var documents = _samples.Query()
                .Where(Query.Between(
                    "_id",
                    StoreKeys.SampleAt(deviceId, point, from.UtcDateTime),
                    StoreKeys.SampleAfter(deviceId, point, to.UtcDateTime)))
                .OrderByDescending("_id")
                .Limit(maxSamplesPerPoint)
                .ToList();
            if (documents.Count == 0)
                continue;

            documents.Reverse();
            var newest = documents[^1];
            series.Add(new PointSeries(
                point,
                newest["unit"].AsString,
                NullableString(newest["quantity"]),
                documents.Select(document => new Sample(
                    FromStoredTime(document["time"]),
                    document["value"].AsDouble,
                    Enum.Parse<Quality>(document["quality"].AsString))).ToList()));
        }

        return series;
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
            foreach (var collection in new[] { _samples, _latest, _devices, _streams, _sources, _twins, _health, _events })
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
        var watermark = _streams.FindById(streamKey)?["lastSeq"].AsInt64 ?? 0;
        var devices = new Dictionary<string, BsonDocument>(StringComparer.Ordinal);
        var latest = new Dictionary<string, BsonDocument>(StringComparer.Ordinal);
        var samples = new List<BsonDocument>();
        var stored = 0;
        var duplicates = 0;

        foreach (var record in batch.Records)
        {
            ArgumentNullException.ThrowIfNull(record, nameof(batch));
            if (record.Seq <= watermark)
            {
                duplicates++;
                continue;
            }

            watermark = record.Seq;
            stored++;
            StoreKeys.RequireName(record.DeviceId, nameof(batch));
            var time = ToStoredTime(record.Timestamp);
            TrackDevice(devices, record, batch.Source, time, receivedAt);

            foreach (var point in record.Points)
            {
                StoreKeys.RequireName(point.Name, nameof(batch));
                var sample = new BsonDocument
                {
                    ["_id"] = StoreKeys.Sample(record.DeviceId, point.Name, time),
                    ["time"] = time,
                    ["value"] = point.Value,
                    ["unit"] = point.Unit,
                    ["quantity"] = point.Quantity,
                    ["quality"] = point.Quality.ToString(),
                    ["source"] = batch.Source,
                    ["stream"] = batch.Stream,
                    ["seq"] = record.Seq,
                };
                samples.Add(sample);

                var pointKey = StoreKeys.Point(record.DeviceId, point.Name);
                if (!latest.TryGetValue(pointKey, out var newest) || newest["time"].AsDateTime <= time)
                    latest[pointKey] = sample;
            }
        }

        if (stored == 0)
            return new StoreBatchResult(0, duplicates);

        _samples.Insert(samples);
        _devices.Upsert(devices.Values);
        foreach (var (pointKey, sample) in latest)
        {
            var held = _latest.FindById(pointKey);
            if (held is not null && held["time"].AsDateTime > sample["time"].AsDateTime)
                continue;

            _latest.Upsert(new BsonDocument
            {
                ["_id"] = pointKey,
                ["point"] = pointKey[(pointKey.IndexOf(StoreKeys.Separator, StringComparison.Ordinal) + 1)..],
                ["time"] = sample["time"],
                ["value"] = sample["value"],
                ["unit"] = sample["unit"],
                ["quantity"] = sample["quantity"],
                ["quality"] = sample["quality"],
            });
        }

        _streams.Upsert(new BsonDocument { ["_id"] = streamKey, ["lastSeq"] = watermark });
        return new StoreBatchResult(stored, duplicates);
    }

    private StoreBatchResult WriteEvents(EventBatch batch, DateTime receivedAt)
    {
        var streamKey = StoreKeys.Stream(batch.Source, batch.Stream);
        var watermark = _streams.FindById(streamKey)?["lastSeq"].AsInt64 ?? 0;
        var documents = new List<BsonDocument>();
        var duplicates = 0;
        foreach (var record in batch.Records)
        {
            ArgumentNullException.ThrowIfNull(record, nameof(batch));
            if (record.Seq <= watermark)
            {
                duplicates++;
                continue;
            }

            watermark = record.Seq;
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
        Dictionary<string, BsonDocument> devices,
        TelemetryRecord record,
        string sourceId,
        DateTime time,
        DateTime receivedAt)
    {
        if (!devices.TryGetValue(record.DeviceId, out var device))
        {
            device = _devices.FindById(record.DeviceId) ?? new BsonDocument
            {
                ["_id"] = record.DeviceId,
                ["model"] = BsonValue.Null,
                ["firstSeen"] = receivedAt,
                ["lastSeen"] = time,
                ["readings"] = 0L,
            };
            devices[record.DeviceId] = device;
        }

        if (record.Model is not null)
            device["model"] = record.Model;
        device["gateway"] = sourceId;
        if (device["lastSeen"].AsDateTime < time)
            device["lastSeen"] = time;
        device["readings"] = device["readings"].AsInt64 + 1;
    }

    private IEnumerable<BsonDocument> LatestOf(string deviceId) =>
        deviceId.Length == 0
            ? []
            : _latest.Query()
                .Where(Query.Between("_id", StoreKeys.DeviceFirst(deviceId), StoreKeys.DeviceAfter(deviceId)))
                .OrderBy("_id")
                .ToList();

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

    [LoggerMessage(Level = LogLevel.Information, Message = "Fleet store at {Path} closed")]
    private static partial void LogClosed(ILogger logger, string path);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Fleet store at {Path} does not answer")]
    private static partial void LogUnavailable(ILogger logger, string path, Exception exception);
}
