using CivicEdge.Fleet.Contracts;
using CivicEdge.Gateway.Acquisition;
using LiteDB;

namespace CivicEdge.Gateway.Storage;

/// <summary>
/// The gateway's durable outbox: every reading is numbered per stream and committed to the LiteDB file before anyone
/// else sees it, and leaves the outbox only when the fleet acknowledges that it persisted it (or refused it, in which
/// case it moves to the quarantine). Sequence numbers come from a persisted counter, so they keep increasing across
/// restarts and never repeat even after the records they numbered were deleted.
/// </summary>
/// <remarks>
/// Every method is synchronous and runs under the <see cref="GatewayDatabase"/>'s lock: LiteDB binds an explicit
/// transaction to the calling thread, so a transaction must never span an <c>await</c>.
/// </remarks>
public sealed class Outbox : IDisposable
{
    private const string StreamsCollection = "streams";
    private const string QuarantineCollection = "quarantine";
    private const string RecordsPrefix = "outbox_";
    private const string LastSeqField = "last";
    private const string StreamField = "stream";
    private const string SeqField = "seq";
    private const string ReasonField = "reason";
    private const string AtField = "at";
    private const string RecordField = "record";
    private const int MaxStreamLength = 32;

    private readonly GatewayDatabase _database;
    private readonly bool _ownsDatabase;
    private readonly TimeProvider _timeProvider;
    private readonly Lock _signalGate = new();
    private TaskCompletionSource _appended = NewSignal();

    /// <summary>Opens (or creates) an outbox in a database file of its own.</summary>
    /// <param name="path">The LiteDB file; its folder is created when missing.</param>
    /// <param name="timeProvider">The clock that stamps quarantined records.</param>
    public Outbox(string path, TimeProvider? timeProvider = null)
        : this(new GatewayDatabase(path), timeProvider, ownsDatabase: true)
    {
    }

    /// <summary>Opens the outbox in the gateway's database, which the caller keeps and disposes.</summary>
    /// <param name="database">The gateway's database.</param>
    /// <param name="timeProvider">The clock that stamps quarantined records.</param>
    public Outbox(GatewayDatabase database, TimeProvider? timeProvider = null)
        : this(database, timeProvider, ownsDatabase: false)
    {
    }

    private Outbox(GatewayDatabase database, TimeProvider? timeProvider, bool ownsDatabase)
    {
        ArgumentNullException.ThrowIfNull(database);
        _database = database;
        _ownsDatabase = ownsDatabase;
        _timeProvider = timeProvider ?? TimeProvider.System;
        try
        {
            _database.Write(db => db.GetCollection(QuarantineCollection).EnsureIndex(StreamField));
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

    /// <summary>
    /// Numbers <paramref name="readings"/> with the next sequence numbers of <paramref name="stream"/> and commits
    /// them, with the advanced counter, in one transaction before returning.
    /// </summary>
    /// <returns>The sequence numbers assigned, in the order of <paramref name="readings"/>.</returns>
    public SequenceRange Append(string stream, IReadOnlyCollection<DeviceReading> readings)
    {
        CheckStream(stream);
        ArgumentNullException.ThrowIfNull(readings);
        if (readings.Count == 0)
            throw new ArgumentException("Append needs at least one reading.", nameof(readings));

        var range = _database.Write(db =>
        {
            var streams = db.GetCollection(StreamsCollection);
            var counter = streams.FindById(stream);
            var last = counter?[LastSeqField].AsInt64 ?? 0;
            var first = last + 1;
            Records(db, stream).InsertBulk(readings.Select(reading => OutboxDocument.From(++last, reading)));
            streams.Upsert(new BsonDocument { [OutboxDocument.Id] = stream, [LastSeqField] = last });
            return new SequenceRange(first, last);
        });

        lock (_signalGate)
        {
            var appended = _appended;
            _appended = NewSignal();
            appended.TrySetResult();
        }

        return range;
    }

    /// <summary>Up to <paramref name="max"/> waiting records with a sequence number above <paramref name="afterSeq"/>, in sequence order.</summary>
    public IReadOnlyList<TelemetryRecord> Peek(string stream, long afterSeq, int max)
    {
        CheckStream(stream);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(max);
        return _database.Read(db => Records(db, stream).Query()
            .Where(Query.GT(OutboxDocument.Id, afterSeq))
            .OrderBy(OutboxDocument.Id)
            .Limit(max)
            .ToEnumerable()
            .Select(OutboxDocument.ToRecord)
            .ToList());
    }

    /// <summary>Deletes the waiting records from <paramref name="firstSeq"/> to <paramref name="lastSeq"/> inclusive, and nothing else.</summary>
    /// <returns>How many records were deleted; fewer than the range when some were already gone.</returns>
    public int Acknowledge(string stream, long firstSeq, long lastSeq)
    {
        CheckStream(stream);
        CheckRange(firstSeq, lastSeq);
        return _database.Write(db => Records(db, stream).DeleteMany(Query.Between(OutboxDocument.Id, firstSeq, lastSeq)));
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
        return _database.Write(db =>
        {
            var records = Records(db, stream);
            var range = Query.Between(OutboxDocument.Id, firstSeq, lastSeq);
            var moved = records.Find(range)
                .Select(record => new BsonDocument
                {
                    [StreamField] = stream,
                    [SeqField] = record[OutboxDocument.Id],
                    [ReasonField] = reason,
                    [AtField] = at,
                    [RecordField] = record,
                })
                .ToList();
            if (moved.Count == 0)
                return 0;
            db.GetCollection(QuarantineCollection).InsertBulk(moved);
            records.DeleteMany(range);
            return moved.Count;
        });
    }

    /// <summary>Up to <paramref name="max"/> quarantined records of <paramref name="stream"/>, in sequence order.</summary>
    public IReadOnlyList<QuarantinedRecord> PeekQuarantine(string stream, int max)
    {
        CheckStream(stream);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(max);
        return _database.Read(db => db.GetCollection(QuarantineCollection).Query()
            .Where(Query.EQ(StreamField, stream))
            .OrderBy(SeqField)
            .Limit(max)
            .ToEnumerable()
            .Select(entry => new QuarantinedRecord(
                stream,
                OutboxDocument.ToRecord(entry[RecordField].AsDocument),
                entry[ReasonField].AsString,
                OutboxDocument.ToUtc(entry[AtField].AsDateTime)))
            .ToList());
    }

    /// <summary>The depth, oldest waiting record and quarantine size of <paramref name="stream"/>.</summary>
    public OutboxStatus Status(string stream)
    {
        CheckStream(stream);
        return _database.Read(db =>
        {
            var records = Records(db, stream);
            var oldest = records.Query().OrderBy(OutboxDocument.Id).Limit(1).FirstOrDefault();
            return new OutboxStatus(
                stream,
                records.LongCount(),
                oldest?[OutboxDocument.Id].AsInt64,
                oldest is null ? null : OutboxDocument.ToRecord(oldest).Timestamp,
                db.GetCollection(StreamsCollection).FindById(stream)?[LastSeqField].AsInt64 ?? 0,
                db.GetCollection(QuarantineCollection).LongCount(Query.EQ(StreamField, stream)));
        });
    }

    /// <summary>Completes once <paramref name="stream"/> holds a waiting record with a sequence number above <paramref name="afterSeq"/>.</summary>
    public async Task WaitForRecordsAsync(string stream, long afterSeq, CancellationToken cancellationToken)
    {
        CheckStream(stream);
        while (true)
        {
            Task appended;
            lock (_signalGate)
                appended = _appended.Task;
            if (_database.Read(db => Records(db, stream).Exists(Query.GT(OutboxDocument.Id, afterSeq))))
                return;

            await appended.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public void Dispose()
    {
        if (_ownsDatabase)
            _database.Dispose();
    }

    /// <summary>Stream names become collection names, so they are kept to lower-case letters, digits and '_'.</summary>
    public static bool IsValidStream(string? stream) =>
        !string.IsNullOrEmpty(stream)
        && stream.Length <= MaxStreamLength
        && char.IsAsciiLetterLower(stream[0])
        && stream.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '_');

    private static ILiteCollection<BsonDocument> Records(LiteDatabase db, string stream) =>
        db.GetCollection(RecordsPrefix + stream, BsonAutoId.Int64);

    private static void CheckStream(string stream)
    {
        if (!IsValidStream(stream))
        {
            throw new ArgumentException(
                $"A stream name must be 1..{MaxStreamLength} lower-case letters, digits or '_', starting with a letter; got '{stream}'.",
                nameof(stream));
        }
    }

    private static void CheckRange(long firstSeq, long lastSeq)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(firstSeq);
        if (lastSeq < firstSeq)
            throw new ArgumentOutOfRangeException(nameof(lastSeq), lastSeq, $"The range must end at or after its first sequence number {firstSeq}.");
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
