using System.Buffers;
using CivicEdge.Fleet.Contracts;
using CivicEdge.Fleet.Core.Alarms;
using Microsoft.Extensions.Logging;

namespace CivicEdge.Fleet.Core;

/// <summary>
/// Turns event batches into stored events and the answer the source is owed, on the same contract as telemetry: a
/// batch is validated, stored with deduplication by (source, stream, sequence), and only then acknowledged as
/// <see cref="AckStatus.Persisted"/>; a batch that can never be stored is acknowledged as <see cref="AckStatus.Rejected"/>.
/// </summary>
/// <remarks>
/// A store failure propagates (no acknowledgement, the source resends), and later batches of the stream are held back
/// until the failed one is stored. Thread-safe; callers keep the order of batches within a stream.
/// </remarks>
public sealed partial class EventIngestor
{
    private const string BatchDescription = "an event batch";

    private readonly IFleetStore _store;
    private readonly EventBatchValidator _validator;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger<EventIngestor> _logger;
    private readonly AlarmFeed? _alarms;
    private readonly SequenceGuard _guard = new();
    private long _batchesPersisted;
    private long _eventsStored;
    private long _eventsDuplicate;
    private long _batchesRejected;

    /// <remarks><paramref name="alarms"/> turns newly stored raised and cleared events into alarms; none when null.</remarks>
    public EventIngestor(IFleetStore store, TelemetryIngestOptions options, TimeProvider timeProvider, ILogger<EventIngestor> logger, AlarmFeed? alarms = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(logger);
        _store = store;
        _validator = new EventBatchValidator(options);
        _timeProvider = timeProvider;
        _logger = logger;
        _alarms = alarms;
    }

    /// <summary>Events stored for the first time since start.</summary>
    public long EventsStored => Interlocked.Read(ref _eventsStored);

    /// <summary>Events received again and skipped since start.</summary>
    public long EventsDuplicate => Interlocked.Read(ref _eventsDuplicate);

    /// <summary>Batches acknowledged as persisted since start.</summary>
    public long BatchesPersisted => Interlocked.Read(ref _batchesPersisted);

    /// <summary>Batches acknowledged as rejected since start.</summary>
    public long BatchesRejected => Interlocked.Read(ref _batchesRejected);

    /// <summary>Reads, validates and persists a batch published on <c>civic/v1/{topicSourceId}/events</c>.</summary>
    /// <returns>The acknowledgement to publish on <see cref="Topics.Ack"/>.</returns>
    /// <exception cref="BatchHeldBackException">An earlier batch of the stream failed to store and must come first.</exception>
    public Task<DeliveryAck> IngestBatchAsync(string topicSourceId, ReadOnlySequence<byte> payload, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(topicSourceId);
        if (UplinkJson.TryRead(payload, ContractsJson.Default.EventBatch, BatchDescription, out var batch, out var reason))
            return IngestBatchAsync(topicSourceId, batch, cancellationToken);

        var (stream, firstSeq, lastSeq) = UplinkJson.PeekBatch(payload);
        return Task.FromResult(Reject(topicSourceId, stream, firstSeq, lastSeq, new Rejection(RejectionCause.MalformedPayload, reason)));
    }

    /// <summary>Validates and persists a batch that arrived for <paramref name="topicSourceId"/>.</summary>
    /// <returns>The acknowledgement to publish on <see cref="Topics.Ack"/>.</returns>
    /// <exception cref="BatchHeldBackException">An earlier batch of the stream failed to store and must come first.</exception>
    public async Task<DeliveryAck> IngestBatchAsync(string topicSourceId, EventBatch batch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(topicSourceId);
        ArgumentNullException.ThrowIfNull(batch);

        var stream = batch.Stream ?? string.Empty;
        var records = batch.Records;
        var firstSeq = records is { Count: > 0 } && records[0] is { } first ? first.Seq : 0;
        var lastSeq = records is { Count: > 0 } && records[^1] is { } last ? last.Seq : 0;
        if (_validator.Validate(topicSourceId, batch) is { } rejection)
            return Reject(topicSourceId, stream, firstSeq, lastSeq, rejection);

        _guard.Check(topicSourceId, stream, firstSeq);
        StoreBatchResult result;
        try
        {
            result = await _store.StoreEventsAsync(batch, _timeProvider.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            _guard.Failed(topicSourceId, stream, firstSeq);
            throw;
        }

        _guard.Stored(topicSourceId, stream, firstSeq);
        Interlocked.Increment(ref _batchesPersisted);
        Interlocked.Add(ref _eventsStored, result.Stored);
        Interlocked.Add(ref _eventsDuplicate, result.Duplicates);
        LogPersisted(_logger, topicSourceId, firstSeq, lastSeq, result.Stored, result.Duplicates);

        // Sequence numbers rise through a batch and the duplicates are those at or below the stored watermark, so the
        // events stored now are the batch's last Stored ones: only they may raise or clear alarms, never a resent one.
        if (_alarms is not null && result.Stored > 0)
            await _alarms.ApplyAsync(records!.Skip(records!.Count - result.Stored).ToList(), cancellationToken).ConfigureAwait(false);
        return new DeliveryAck(stream, firstSeq, lastSeq, AckStatus.Persisted, result.Stored, result.Duplicates);
    }

    private DeliveryAck Reject(string sourceId, string stream, long firstSeq, long lastSeq, Rejection rejection)
    {
        Interlocked.Increment(ref _batchesRejected);
        LogRejected(_logger, sourceId, firstSeq, lastSeq, rejection.Cause, rejection.Reason);
        return new DeliveryAck(stream, firstSeq, lastSeq, AckStatus.Rejected, 0, 0, rejection.Reason);
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Persisted events {SourceId} seq {FirstSeq}..{LastSeq}: {Stored} stored, {Duplicates} duplicates")]
    private static partial void LogPersisted(ILogger logger, string sourceId, long firstSeq, long lastSeq, int stored, int duplicates);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Rejected events {SourceId} seq {FirstSeq}..{LastSeq} ({Cause}): {Reason}")]
    private static partial void LogRejected(ILogger logger, string sourceId, long firstSeq, long lastSeq, RejectionCause cause, string reason);
}
