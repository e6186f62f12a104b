using System.Globalization;
using CivicEdge.Fleet.Contracts;
using CivicEdge.Gateway.Acquisition;
using CivicEdge.Gateway.Configuration;
using LiteDB;

namespace CivicEdge.Gateway.Storage;

/// <summary>
/// The gateway's durable outbox: every reading and event is numbered per stream and committed to the LiteDB file
/// before anyone else sees it, and leaves the outbox only when the fleet acknowledges that it persisted it (or refused
/// it, in which case it moves to the quarantine). Sequence numbers come from a persisted counter, so they keep
/// increasing across restarts and never repeat even after the records they numbered were deleted.
/// </summary>
/// <remarks>
/// <para>
/// Three streams: <see cref="Streams.Telemetry"/> and <see cref="Streams.Billing"/> hold readings,
/// <see cref="Streams.Events"/> holds events. The outbox is bounded by <see cref="OutboxOptions.MaxRecords"/> and
/// <see cref="OutboxOptions.MaxMegabytes"/>; when a commit would exceed either, it drops the oldest routine telemetry
/// first, then the oldest billing readings, and events last, in the same transaction. Drops are counted per stream in
/// the file and reported to the fleet as <c>outbox_overflow</c> events naming the sequence range, so the gap the fleet
/// sees is explained: once the outbox is back below its low-water mark, or every
/// <see cref="OutboxOptions.OverflowReportInterval"/> while it stays full.
/// </para>
/// <para>
/// Every method is synchronous and runs under the <see cref="GatewayDatabase"/>'s lock: LiteDB binds an explicit
/// transaction to the calling thread, so a transaction must never span an <c>await</c>.
/// </para>
/// </remarks>
public sealed class Outbox : IDisposable
{
    /// <summary>The event code of a report of dropped records.</summary>
    public const string OverflowCode = "outbox_overflow";

    /// <summary>The event code of a report that the outbox file had to be recovered.</summary>
    public const string RecoveredCode = "outbox_recovered";

    /// <summary>The streams, in the order they are kept: the first is dropped first when the outbox is full.</summary>
    public static readonly IReadOnlyList<string> DropOrder = [Streams.Telemetry, Streams.Billing, Streams.Events];

    /// <summary>The fraction of the limits below which an overflow episode counts as over.</summary>
    public const double LowWater = 0.9;

    private const string StreamsCollection = "streams";
    private const string LayoutsCollection = "layouts";
    private const string QuarantineCollection = "quarantine";
    private const string CommitsCollection = "commits";
    private const string LastCommitKey = "last";
    private const string TokenField = "token";
    private const string RecordsPrefix = "outbox_";
    private const string StreamField = "stream";
    private const string SeqField = "seq";
    private const string ReasonField = "reason";
    private const string AtField = "at";
    private const string RecordField = "record";

    /// <summary>The longest acknowledged range deleted id by id rather than by a query (see <see cref="DeleteRange"/>).</summary>
    private const long MaxRangeDeletedById = 4096;

    private readonly GatewayDatabase _database;
    private readonly bool _ownsDatabase;
    private readonly OutboxOptions _options;
    private readonly string _sourceId;
    private readonly TimeProvider _timeProvider;
    private readonly Lock _signalGate = new();
    private readonly Lock _gate = new();
    private readonly Dictionary<(string DeviceId, string? Model), DeviceLayout> _deviceLayouts = [];
    private readonly Dictionary<int, PointLayout> _layoutsById = [];
    private int _lastLayoutId;
    private int[] _positions = new int[64];
    private long _cacheGeneration = -1;
    private TaskCompletionSource _appended = NewSignal();

    /// <summary>Opens (or creates) an outbox with default limits in a database file of its own, for tools and tests.</summary>
    /// <param name="path">The LiteDB file; its folder is created when missing.</param>
    /// <param name="timeProvider">The clock that stamps quarantined records and overflow reports.</param>
    public Outbox(string path, TimeProvider? timeProvider = null)
        : this(new GatewayDatabase(path), new OutboxOptions(), "gateway", timeProvider ?? TimeProvider.System, ownsDatabase: true)
    {
    }

    /// <summary>Opens the outbox in the gateway's database, which the caller keeps and disposes.</summary>
    /// <param name="database">The gateway's database.</param>
    /// <param name="options">The outbox's limits.</param>
    /// <param name="sourceId">The gateway's unified device code: events about the outbox itself are about it.</param>
    /// <param name="timeProvider">The clock that stamps quarantined records and overflow reports.</param>
    public Outbox(GatewayDatabase database, OutboxOptions options, string sourceId, TimeProvider timeProvider)
        : this(database, options, sourceId, timeProvider, ownsDatabase: false)
    {
    }

    private Outbox(GatewayDatabase database, OutboxOptions options, string sourceId, TimeProvider timeProvider, bool ownsDatabase)
    {
        ArgumentNullException.ThrowIfNull(database);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrEmpty(sourceId);
        ArgumentNullException.ThrowIfNull(timeProvider);
        _database = database;
        _ownsDatabase = ownsDatabase;
        _options = options;
        _sourceId = sourceId;
        _timeProvider = timeProvider;
        try
        {
            Write(db =>
            {
                db.GetCollection(QuarantineCollection).EnsureIndex(StreamField);
                Prepare(db);
                if (database.Recovery.Kind != DatabaseRecoveryKind.None)
                {
                    var states = LoadStates(db);
                    InsertEvents(db, states, [RecoveryEvent(database.Recovery)]);
                    SaveStates(db, states);
                }

                return true;
            });
        }
        catch
        {
            if (ownsDatabase)
                database.Dispose();
            throw;
        }
    }

    /// <summary>The full path of the LiteDB file.</summary>
    public string Path => _database.Path;

    /// <summary>The outbox's limits.</summary>
    public OutboxOptions Options => _options;

    /// <summary>
    /// Numbers every reading in its <see cref="DeviceReading.Stream"/> and every event in <see cref="Streams.Events"/>,
    /// makes room if the outbox would exceed its limits, and commits all of it in one transaction before returning.
    /// </summary>
    /// <param name="readings">Readings of <see cref="Streams.Telemetry"/> or <see cref="Streams.Billing"/>.</param>
    /// <param name="events">Events.</param>
    /// <param name="commitToken">
    /// Stored with the commit, so that after a failed write <see cref="HasCommitted"/> tells whether it reached the file
    /// anyway (a write can fail after the journal has it) and it must not be appended a second time.
    /// </param>
    /// <exception cref="ArgumentException">A reading names another stream.</exception>
    public OutboxAppendResult Append(IReadOnlyList<DeviceReading> readings, IReadOnlyList<DeviceEvent> events, string? commitToken = null)
    {
        ArgumentNullException.ThrowIfNull(readings);
        ArgumentNullException.ThrowIfNull(events);
        foreach (var reading in readings)
        {
            if (reading.Stream is not (Streams.Telemetry or Streams.Billing))
                throw new ArgumentException($"A reading goes to the {Streams.Telemetry} or {Streams.Billing} stream; {reading.DeviceId} names '{reading.Stream}'.", nameof(readings));
        }

        var now = _timeProvider.GetUtcNow();
        var result = Write(db =>
        {
            Prepare(db);
            var states = LoadStates(db);
            var ranges = new Dictionary<string, SequenceRange>(StringComparer.Ordinal);
            foreach (var stream in new[] { Streams.Telemetry, Streams.Billing })
            {
                var batch = readings.Where(reading => reading.Stream == stream).ToList();
                if (batch.Count > 0)
                    ranges[stream] = InsertReadings(db, states[stream], batch);
            }

            if (events.Count > 0)
                ranges[Streams.Events] = InsertEvents(db, states, events);

            var dropped = MakeRoom(db, states, now);
            var (reported, roomAgain) = ReportDrops(db, states, now, dropped.Count > 0);
            if (commitToken is not null)
                db.GetCollection(CommitsCollection).Upsert(new BsonDocument { ["_id"] = LastCommitKey, [TokenField] = commitToken });
            SaveStates(db, states);
            return new OutboxAppendResult(ranges, dropped, reported, roomAgain);
        });

        if (result.Ranges.Count > 0 || result.Reported.Count > 0)
            SignalAppended();
        return result;
    }

    /// <summary>
    /// Numbers <paramref name="readings"/> with the next sequence numbers of <paramref name="stream"/> (whatever stream
    /// they name) and commits them, with the advanced counter, in one transaction before returning.
    /// </summary>
    /// <returns>The sequence numbers assigned, in the order of <paramref name="readings"/>.</returns>
    public SequenceRange Append(string stream, IReadOnlyCollection<DeviceReading> readings)
    {
        CheckReadingStream(stream);
        ArgumentNullException.ThrowIfNull(readings);
        if (readings.Count == 0)
            throw new ArgumentException("Append needs at least one reading.", nameof(readings));
        return Append([.. readings.Select(reading => reading with { Stream = stream })], []).Ranges[stream];
    }

    /// <summary>Numbers <paramref name="events"/> in <see cref="Streams.Events"/> and commits them before returning.</summary>
    public SequenceRange AppendEvents(IReadOnlyCollection<DeviceEvent> events)
    {
        ArgumentNullException.ThrowIfNull(events);
        if (events.Count == 0)
            throw new ArgumentException("Append needs at least one event.", nameof(events));
        return Append([], [.. events]).Ranges[Streams.Events];
    }

    /// <summary>True when the last commit that reached the file carried <paramref name="commitToken"/>.</summary>
    public bool HasCommitted(string commitToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(commitToken);
        return Read(db => db.GetCollection(CommitsCollection).FindById(LastCommitKey)?[TokenField].AsString == commitToken);
    }

    /// <summary>Up to <paramref name="max"/> waiting readings with a sequence number above <paramref name="afterSeq"/>, in sequence order.</summary>
    public IReadOnlyList<TelemetryRecord> Peek(string stream, long afterSeq, int max)
    {
        CheckReadingStream(stream);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(max);
        return Read(db =>
        {
            Prepare(db);
            return Records(db, stream).Query()
                .Where(Query.GT(OutboxDocument.Id, afterSeq))
                .OrderBy(OutboxDocument.Id)
                .Limit(max)
                .ToEnumerable()
                .Select(document => OutboxDocument.ToRecord(document, LayoutOf))
                .ToList();
        });
    }

    /// <summary>Up to <paramref name="max"/> waiting events with a sequence number above <paramref name="afterSeq"/>, in sequence order.</summary>
    public IReadOnlyList<EventRecord> PeekEvents(long afterSeq, int max)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(max);
        return Read(db => Records(db, Streams.Events).Query()
            .Where(Query.GT(OutboxDocument.Id, afterSeq))
            .OrderBy(OutboxDocument.Id)
            .Limit(max)
            .ToEnumerable()
            .Select(OutboxDocument.ToEvent)
            .ToList());
    }

    /// <summary>
    /// Up to <paramref name="max"/> of the newest waiting readings above <paramref name="afterSeq"/>, newest first: the
    /// current values, for the live topic, while older ones are still being delivered.
    /// </summary>
    public IReadOnlyList<TelemetryRecord> PeekNewest(string stream, long afterSeq, int max)
    {
        CheckReadingStream(stream);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(max);
        return Read(db =>
        {
            Prepare(db);
            return Records(db, stream).Query()
                .Where(Query.GT(OutboxDocument.Id, afterSeq))
                .OrderByDescending(OutboxDocument.Id)
                .Limit(max)
                .ToEnumerable()
                .Select(document => OutboxDocument.ToRecord(document, LayoutOf))
                .ToList();
        });
    }

    /// <summary>Deletes the waiting records from <paramref name="firstSeq"/> to <paramref name="lastSeq"/> inclusive, and nothing else.</summary>
    /// <returns>How many records were deleted; fewer than the range when some were already gone.</returns>
    public int Acknowledge(string stream, long firstSeq, long lastSeq) => Acknowledge([(stream, new SequenceRange(firstSeq, lastSeq))]);

    /// <summary>
    /// Deletes the waiting records of every range in one transaction: deleting from LiteDB costs far less per record in
    /// one transaction of a few thousand than in many small ones.
    /// </summary>
    /// <returns>How many records were deleted in all.</returns>
    public int Acknowledge(IReadOnlyList<(string Stream, SequenceRange Range)> ranges)
    {
        ArgumentNullException.ThrowIfNull(ranges);
        foreach (var (stream, range) in ranges)
        {
            CheckStream(stream);
            CheckRange(range.First, range.Last);
        }

        if (ranges.Count == 0)
            return 0;
        return Write(db =>
        {
            Prepare(db);
            var states = LoadStates(db);
            var deleted = 0;
            foreach (var (stream, range) in ranges)
            {
                var count = DeleteRange(Records(db, stream), range);
                states[stream].Remove(count);
                deleted += count;
            }

            if (deleted > 0)
                SaveStates(db, states);
            return deleted;
        });
    }

    /// <summary>
    /// Moves the waiting records from <paramref name="firstSeq"/> to <paramref name="lastSeq"/> to the quarantine
    /// with <paramref name="reason"/>, in one transaction: they are no longer sent, and they are never deleted silently.
    /// </summary>
    /// <returns>How many records were moved.</returns>
    public int Quarantine(string stream, long firstSeq, long lastSeq, string reason)
    {
        CheckStream(stream);
        CheckRange(firstSeq, lastSeq);
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        var at = _timeProvider.GetUtcNow().UtcDateTime;
        return Write(db =>
        {
            Prepare(db);
            var records = Records(db, stream);
            var range = Query.Between(OutboxDocument.Id, firstSeq, lastSeq);
            var moved = records.Find(range)
                .Select(record => new BsonDocument
                {
                    [StreamField] = stream,
                    [SeqField] = record[OutboxDocument.Id],
                    [ReasonField] = reason,
                    [AtField] = at,
                    [RecordField] = stream == Streams.Events ? record : Expand(record),
                })
                .ToList();
            if (moved.Count == 0)
                return 0;
            db.GetCollection(QuarantineCollection).InsertBulk(moved);
            records.DeleteMany(range);
            var states = LoadStates(db);
            states[stream].Remove(moved.Count);
            SaveStates(db, states);
            return moved.Count;
        });
    }

    /// <summary>Up to <paramref name="max"/> quarantined records of <paramref name="stream"/>, in sequence order.</summary>
    public IReadOnlyList<QuarantinedRecord> PeekQuarantine(string stream, int max)
    {
        CheckStream(stream);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(max);
        return Read(db =>
        {
            Prepare(db);
            return db.GetCollection(QuarantineCollection).Query()
                .Where(Query.EQ(StreamField, stream))
                .OrderBy(SeqField)
                .Limit(max)
                .ToEnumerable()
                .Select(entry =>
                {
                    var document = entry[RecordField].AsDocument;
                    var isEvent = stream == Streams.Events;
                    return new QuarantinedRecord(
                        stream,
                        entry[SeqField].AsInt64,
                        isEvent ? null : OutboxDocument.ToRecord(document, LayoutOf),
                        isEvent ? OutboxDocument.ToEvent(document) : null,
                        entry[ReasonField].AsString,
                        OutboxDocument.ToUtc(entry[AtField].AsDateTime));
                })
                .ToList();
        });
    }

    /// <summary>The depth, oldest waiting record, drops and quarantine size of <paramref name="stream"/>.</summary>
    public OutboxStatus Status(string stream)
    {
        CheckStream(stream);
        return Read(db =>
        {
            Prepare(db);
            var state = LoadStates(db)[stream];
            var oldest = Records(db, stream).Query().OrderBy(OutboxDocument.Id).Limit(1).FirstOrDefault();
            return new OutboxStatus(
                stream,
                state.Count,
                oldest?[OutboxDocument.Id].AsInt64,
                oldest is null ? null : OutboxDocument.TimeOf(oldest),
                state.Last,
                db.GetCollection(QuarantineCollection).LongCount(Query.EQ(StreamField, stream)),
                state.Dropped);
        });
    }

    /// <summary>Completes once <paramref name="stream"/> holds a waiting record with a sequence number above <paramref name="afterSeq"/>.</summary>
    public async Task WaitForRecordsAsync(string stream, long afterSeq, CancellationToken cancellationToken)
    {
        CheckStream(stream);
        while (true)
        {
            var appended = NextAppend;
            if (Read(db => Records(db, stream).Exists(Query.GT(OutboxDocument.Id, afterSeq))))
                return;

            await appended.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Completes at the next commit that adds records to any stream. Take it before looking for records, so that a
    /// commit in between is not missed.
    /// </summary>
    public Task NextAppend
    {
        get
        {
            lock (_signalGate)
                return _appended.Task;
        }
    }

    public void Dispose()
    {
        if (_ownsDatabase)
            _database.Dispose();
    }

    /// <summary>True for the streams the outbox keeps: telemetry, billing and events.</summary>
    public static bool IsValidStream(string? stream) => stream is Streams.Telemetry or Streams.Billing or Streams.Events;

    /// <summary>
    /// Runs <paramref name="work"/> in a transaction under the outbox's own lock, which also guards the layout cache:
    /// when the transaction fails, layouts it added to the cache may not be in the file, so the cache is rebuilt.
    /// </summary>
    private T Write<T>(Func<LiteDatabase, T> work)
    {
        lock (_gate)
        {
            try
            {
                return _database.Write(work);
            }
            catch
            {
                _cacheGeneration = -1;
                throw;
            }
        }
    }

    private T Read<T>(Func<LiteDatabase, T> work)
    {
        lock (_gate)
            return _database.Read(work);
    }

    private static ILiteCollection<BsonDocument> Records(LiteDatabase db, string stream) =>
        db.GetCollection(RecordsPrefix + stream, BsonAutoId.Int64);

    /// <summary>Rebuilds the layout cache and reconciles the counters whenever the file was (re)opened.</summary>
    private void Prepare(LiteDatabase db)
    {
        if (_cacheGeneration == _database.Generation)
            return;

        _deviceLayouts.Clear();
        _layoutsById.Clear();
        _lastLayoutId = 0;
        foreach (var layout in db.GetCollection(LayoutsCollection).FindAll().Select(OutboxDocument.ToLayout).OrderBy(layout => layout.Id))
            Remember(layout);

        // The counters live beside the records in every transaction; this catches files from earlier versions and
        // files LiteDB rebuilt with records missing.
        var states = LoadStates(db);
        var changed = false;
        foreach (var (stream, state) in states)
        {
            var count = Records(db, stream).LongCount();
            if (count != state.Count)
            {
                state.Bytes = count == 0 ? 0 : (state.Count > 0 ? state.Bytes / state.Count : 200) * count;
                state.Count = count;
                changed = true;
            }
        }

        if (changed)
        {
            // Inside a write this joins its transaction; inside a read it is a transaction of its own.
            var own = db.BeginTrans();
            SaveStates(db, states);
            if (own)
                db.Commit();
        }

        _cacheGeneration = _database.Generation;
    }

    private Dictionary<string, StreamState> LoadStates(LiteDatabase db)
    {
        var collection = db.GetCollection(StreamsCollection);
        return DropOrder.ToDictionary(
            stream => stream,
            stream => StreamState.From(stream, collection.FindById(stream), _database.SequenceFloor),
            StringComparer.Ordinal);
    }

    /// <summary>Deletes the records of <paramref name="range"/>; how many there were.</summary>
    /// <remarks>
    /// A range of a delivered batch (a few hundred records) is deleted id by id: LiteDB's DeleteMany runs a query that
    /// reads and decodes every document it deletes, which was a third of all the gateway allocated at 2,000 points/s.
    /// A longer range, which only a fleet acknowledging far more than one batch could ask for, goes through the query.
    /// </remarks>
    private static int DeleteRange(ILiteCollection<BsonDocument> records, SequenceRange range)
    {
        if (range.Last - range.First >= MaxRangeDeletedById)
            return records.DeleteMany(Query.Between(OutboxDocument.Id, range.First, range.Last));

        var count = 0;
        for (var seq = range.First; seq <= range.Last; seq++)
        {
            if (records.Delete(seq))
                count++;
        }

        return count;
    }

    /// <summary>Writes the counters of the streams whose counters changed (every write costs an index search and a page).</summary>
    private static void SaveStates(LiteDatabase db, Dictionary<string, StreamState> states)
    {
        var collection = db.GetCollection(StreamsCollection);
        foreach (var state in states.Values)
        {
            if (!state.IsChanged)
                continue;
            collection.Upsert(state.ToDocument());
            state.Stored();
        }
    }

    private SequenceRange InsertReadings(LiteDatabase db, StreamState state, List<DeviceReading> readings)
    {
        var first = state.Last + 1;
        var documents = new List<BsonDocument>(readings.Count);
        foreach (var reading in readings)
        {
            if (_positions.Length < reading.Points.Count)
                _positions = new int[reading.Points.Count];
            var positions = _positions.AsSpan(0, reading.Points.Count);
            var layout = LayoutFor(db, reading, positions);
            documents.Add(OutboxDocument.FromReading(++state.Last, layout, positions, reading));
            state.Bytes += OutboxDocument.EstimatedSize(reading);
        }

        Records(db, state.Stream).InsertBulk(documents);

        state.Count += readings.Count;
        return new SequenceRange(first, state.Last);
    }

    private static SequenceRange InsertEvents(LiteDatabase db, Dictionary<string, StreamState> states, IReadOnlyList<DeviceEvent> events)
    {
        var state = states[Streams.Events];
        var first = state.Last + 1;
        Records(db, Streams.Events).InsertBulk(events.Select(deviceEvent => OutboxDocument.FromEvent(++state.Last, deviceEvent)).ToList());
        state.Count += events.Count;
        state.Bytes += events.Sum(OutboxDocument.EstimatedSize);
        return new SequenceRange(first, state.Last);
    }

    /// <summary>The layout to store <paramref name="reading"/> with, and the position of each of its points in it.</summary>
    private PointLayout LayoutFor(LiteDatabase db, DeviceReading reading, Span<int> positions)
    {
        var key = (reading.DeviceId, reading.Model);
        if (_deviceLayouts.TryGetValue(key, out var current) && current.TryLocate(reading.Points, positions))
            return current.Layout;

        var id = _lastLayoutId + 1;
        var layout = current is not null ? current.Grow(id, reading.Points) : new PointLayout(
            id,
            reading.DeviceId,
            reading.Model,
            [.. reading.Points.Select(point => point.Name)],
            [.. reading.Points.Select(point => point.Unit)],
            [.. reading.Points.Select(point => point.Quantity)]);
        db.GetCollection(LayoutsCollection).Insert(OutboxDocument.FromLayout(layout));
        Remember(layout);
        _deviceLayouts[key].TryLocate(reading.Points, positions);
        return layout;
    }

    /// <summary>Keeps a stored layout; the newest of a device is the one its next readings are stored with.</summary>
    private void Remember(PointLayout layout)
    {
        _layoutsById[layout.Id] = layout;
        _deviceLayouts[(layout.DeviceId, layout.Model)] = new DeviceLayout(layout);
        _lastLayoutId = Math.Max(_lastLayoutId, layout.Id);
    }

    private PointLayout LayoutOf(int id) =>
        _layoutsById.TryGetValue(id, out var layout)
            ? layout
            : throw new InvalidDataException($"{Path}: a record refers to point layout {id}, which the file does not hold.");

    /// <summary>A stored reading in the self-contained shape of earlier versions, for the quarantine.</summary>
    private BsonDocument Expand(BsonDocument record)
    {
        var reading = OutboxDocument.ToRecord(record, LayoutOf);
        var points = new BsonArray(reading.Points.Select(point => (BsonValue)new BsonDocument
        {
            ["name"] = point.Name,
            ["value"] = point.Value,
            ["unit"] = point.Unit,
            ["quantity"] = point.Quantity is null ? BsonValue.Null : new BsonValue(point.Quantity),
            ["quality"] = point.Quality.ToString(),
        }));
        return new BsonDocument
        {
            [OutboxDocument.Id] = reading.Seq,
            ["device"] = reading.DeviceId,
            ["model"] = reading.Model is null ? BsonValue.Null : new BsonValue(reading.Model),
            ["ts"] = reading.Timestamp.UtcDateTime,
            ["points"] = points,
        };
    }

    /// <summary>Drops the oldest records, telemetry first, until the outbox is within both of its limits.</summary>
    private List<OutboxDrop> MakeRoom(LiteDatabase db, Dictionary<string, StreamState> states, DateTimeOffset now)
    {
        var dropped = new List<OutboxDrop>();
        foreach (var stream in DropOrder)
        {
            var records = states.Values.Sum(state => state.Count);
            var bytes = states.Values.Sum(state => state.Bytes);
            if (records <= _options.MaxRecords && bytes <= _options.MaxBytes)
                break;

            var state = states[stream];
            if (state.Count == 0)
                continue;

            var average = Math.Max(1, state.Bytes / state.Count);
            var needed = Math.Max(records - _options.MaxRecords, (bytes - _options.MaxBytes + average - 1) / average);
            var count = (int)Math.Min(Math.Max(needed, 1), state.Count);
            var collection = Records(db, stream);
            var first = collection.Query().OrderBy(OutboxDocument.Id).Limit(1).First()[OutboxDocument.Id].AsInt64;
            var last = collection.Query().OrderBy(OutboxDocument.Id).Offset(count - 1).Limit(1).First()[OutboxDocument.Id].AsInt64;
            var deleted = collection.DeleteMany(Query.LTE(OutboxDocument.Id, last));
            state.Remove(deleted);
            state.Dropped += deleted;
            state.PendingFirst ??= first;
            state.PendingLast = last;
            state.PendingCount += deleted;
            state.PendingSince ??= now;
            dropped.Add(new OutboxDrop(stream, first, last, deleted));
        }

        return dropped;
    }

    /// <summary>
    /// Turns drops not yet reported into <c>outbox_overflow</c> events: all of them once the outbox is back below its
    /// low-water mark, and any pending longer than the report interval while it stays full.
    /// </summary>
    private (List<OutboxDrop> Reported, bool RoomAgain) ReportDrops(LiteDatabase db, Dictionary<string, StreamState> states, DateTimeOffset now, bool droppedNow)
    {
        var reported = new List<OutboxDrop>();
        if (!states.Values.Any(state => state.PendingCount > 0))
            return (reported, false);

        var roomAgain = !droppedNow
            && states.Values.Sum(state => state.Count) < _options.MaxRecords * LowWater
            && states.Values.Sum(state => state.Bytes) < _options.MaxBytes * LowWater;
        var events = new List<DeviceEvent>();
        foreach (var state in states.Values.Where(state => state.PendingCount > 0))
        {
            if (!roomAgain && now - state.PendingSince < _options.OverflowReportInterval)
                continue;

            var drop = new OutboxDrop(state.Stream, state.PendingFirst!.Value, state.PendingLast!.Value, state.PendingCount);
            reported.Add(drop);
            events.Add(OverflowEvent(drop, state.PendingSince!.Value, now));
            state.PendingFirst = null;
            state.PendingLast = null;
            state.PendingCount = 0;
            state.PendingSince = null;
        }

        if (events.Count > 0)
            InsertEvents(db, states, events);
        return (reported, roomAgain);
    }

    private DeviceEvent OverflowEvent(OutboxDrop drop, DateTimeOffset since, DateTimeOffset now) => new(
        _sourceId,
        now,
        OverflowCode,
        EventState.Occurred,
        drop.Stream == Streams.Telemetry ? EventSeverity.Warning : EventSeverity.Major,
        string.Create(CultureInfo.InvariantCulture,
            $"The outbox was full (limits {_options.MaxRecords} records, {_options.MaxMegabytes} MiB): dropped {drop.Count} {drop.Stream} records, sequence numbers {drop.FirstSeq}..{drop.LastSeq}, oldest first, between {since:O} and {now:O}."),
        drop.Stream,
        drop.Count);

    private DeviceEvent RecoveryEvent(DatabaseRecovery recovery) => new(
        _sourceId,
        recovery.At,
        RecoveredCode,
        EventState.Occurred,
        EventSeverity.Critical,
        string.Create(CultureInfo.InvariantCulture,
            $"The outbox file {Path} was {Describe(recovery.Kind)}: {recovery.Detail}. Sequence numbers continue above {recovery.SequenceFloor}; records not delivered before may be missing."),
        null,
        null);

    private static string Describe(DatabaseRecoveryKind kind) => kind switch
    {
        DatabaseRecoveryKind.Rebuilt => "damaged and rebuilt",
        DatabaseRecoveryKind.MovedAside => "damaged beyond repair and moved aside",
        _ => "not the one the gateway wrote last",
    };

    private void SignalAppended()
    {
        lock (_signalGate)
        {
            var appended = _appended;
            _appended = NewSignal();
            appended.TrySetResult();
        }
    }

    private static void CheckStream(string stream)
    {
        if (!IsValidStream(stream))
            throw new ArgumentException($"The outbox keeps the streams {string.Join(", ", DropOrder)}; got '{stream}'.", nameof(stream));
    }

    private static void CheckReadingStream(string stream)
    {
        if (stream is not (Streams.Telemetry or Streams.Billing))
            throw new ArgumentException($"Readings are kept in the {Streams.Telemetry} and {Streams.Billing} streams; got '{stream}'.", nameof(stream));
    }

    private static void CheckRange(long firstSeq, long lastSeq)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(firstSeq);
        if (lastSeq < firstSeq)
            throw new ArgumentOutOfRangeException(nameof(lastSeq), lastSeq, $"The range must end at or after its first sequence number {firstSeq}.");
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>One stream's persisted counters: sequence, depth, estimated size, drops and drops not yet reported.</summary>
    private sealed class StreamState
    {
        private const string LastField = "last";
        private const string CountField = "count";
        private const string BytesField = "bytes";
        private const string DroppedField = "dropped";
        private const string PendingFirstField = "pendingFirst";
        private const string PendingLastField = "pendingLast";
        private const string PendingCountField = "pendingCount";
        private const string PendingSinceField = "pendingSince";

        public required string Stream { get; init; }

        public long Last { get; set; }

        public long Count { get; set; }

        public long Bytes { get; set; }

        public long Dropped { get; set; }

        public long? PendingFirst { get; set; }

        public long? PendingLast { get; set; }

        public long PendingCount { get; set; }

        public DateTimeOffset? PendingSince { get; set; }

        /// <summary>What the file holds for this stream, to save only what changed; null when it holds nothing yet.</summary>
        private (long, long, long, long, long?, long?, long, DateTimeOffset?)? _stored;

        /// <summary>Whether the counters differ from what the file holds.</summary>
        public bool IsChanged => _stored != Values();

        public static StreamState From(string stream, BsonDocument? document, long floor)
        {
            var state = Read(stream, document, floor);
            state._stored = document is null ? null : state.Values();
            return state;
        }

        /// <summary>Marks the counters as what the file holds, once they are written.</summary>
        public void Stored() => _stored = Values();

        private (long, long, long, long, long?, long?, long, DateTimeOffset?) Values() =>
            (Last, Count, Bytes, Dropped, PendingFirst, PendingLast, PendingCount, PendingSince);

        private static StreamState Read(string stream, BsonDocument? document, long floor) => new()
        {
            Stream = stream,
            Last = Math.Max(floor, Int64(document, LastField) ?? 0),
            Count = Int64(document, CountField) ?? -1,
            Bytes = Int64(document, BytesField) ?? 0,
            Dropped = Int64(document, DroppedField) ?? 0,
            PendingFirst = Int64(document, PendingFirstField),
            PendingLast = Int64(document, PendingLastField),
            PendingCount = Int64(document, PendingCountField) ?? 0,
            PendingSince = document is not null && document.TryGetValue(PendingSinceField, out var since) && since.IsDateTime
                ? OutboxDocument.ToUtc(since.AsDateTime)
                : null,
        };

        public void Remove(long records)
        {
            if (records <= 0)
                return;
            Bytes = Count <= records ? 0 : Bytes - Bytes / Count * records;
            Count = Math.Max(0, Count - records);
        }

        public BsonDocument ToDocument() => new()
        {
            ["_id"] = Stream,
            [LastField] = Last,
            [CountField] = Count,
            [BytesField] = Bytes,
            [DroppedField] = Dropped,
            [PendingFirstField] = PendingFirst is { } first ? first : BsonValue.Null,
            [PendingLastField] = PendingLast is { } last ? last : BsonValue.Null,
            [PendingCountField] = PendingCount,
            [PendingSinceField] = PendingSince is { } since ? since.UtcDateTime : BsonValue.Null,
        };

        private static long? Int64(BsonDocument? document, string field) =>
            document is not null && document.TryGetValue(field, out var value) && value.IsNumber ? value.AsInt64 : null;
    }
}
