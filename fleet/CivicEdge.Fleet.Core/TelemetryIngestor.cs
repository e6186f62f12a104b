using System.Buffers;
using CivicEdge.Fleet.Contracts;
using Microsoft.Extensions.Logging;

namespace CivicEdge.Fleet.Core;

/// <summary>
/// Turns what a source published into durable records and the answer it is owed: a batch is validated, stored, and only
/// then acknowledged as <see cref="AckStatus.Persisted"/>; a batch that can never be stored is acknowledged as
/// <see cref="AckStatus.Rejected"/> with a reason, so the source quarantines it instead of resending it forever.
/// </summary>
/// <remarks>
/// A store failure is not a rejection: the exception propagates, no acknowledgement is sent, and the source resends the
/// batch later; later batches of the stream are held back (<see cref="BatchHeldBackException"/>) until it is stored, so
/// that the watermark never passes records that are not stored. Thread-safe; callers keep the order of batches within
/// a stream.
/// </remarks>
public sealed partial class TelemetryIngestor
{
    private const string BatchDescription = "a telemetry batch";
    private const string StateDescription = "a source state";

    private readonly IFleetStore _store;
    private readonly TelemetryBatchValidator _validator;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger<TelemetryIngestor> _logger;
    private readonly SequenceGuard _guard = new();
    private readonly long[] _rejectedByCause = new long[Enum.GetValues<RejectionCause>().Length];
    private long _batchesPersisted;
    private long _recordsStored;
    private long _recordsDuplicate;
    private long _statesRecorded;
    private long _statesRejected;

    public TelemetryIngestor(
        IFleetStore store,
        TelemetryIngestOptions options,
        TimeProvider timeProvider,
        ILogger<TelemetryIngestor> logger)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(logger);
        _store = store;
        _validator = new TelemetryBatchValidator(options);
        _timeProvider = timeProvider;
        _logger = logger;
    }

    /// <summary>Reads, validates and persists a batch published on <c>civic/v1/{topicSourceId}/telemetry</c>.</summary>
    /// <returns>The acknowledgement to publish on <see cref="Topics.Ack"/>.</returns>
    public Task<DeliveryAck> IngestBatchAsync(string topicSourceId, ReadOnlySequence<byte> payload, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(topicSourceId);
        if (UplinkJson.TryRead(payload, ContractsJson.Default.TelemetryBatch, BatchDescription, out var batch, out var reason))
            return IngestBatchAsync(topicSourceId, batch, cancellationToken);

        var (stream, firstSeq, lastSeq) = UplinkJson.PeekBatch(payload);
        return Task.FromResult(Reject(topicSourceId, stream, firstSeq, lastSeq, new Rejection(RejectionCause.MalformedPayload, reason)));
    }

    /// <summary>Validates and persists a batch that arrived for <paramref name="topicSourceId"/>.</summary>
    /// <returns>The acknowledgement to publish on <see cref="Topics.Ack"/>.</returns>
    public async Task<DeliveryAck> IngestBatchAsync(string topicSourceId, TelemetryBatch batch, CancellationToken cancellationToken)
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
            result = await _store.StoreBatchAsync(batch, _timeProvider.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            _guard.Failed(topicSourceId, stream, firstSeq);
            throw;
        }

        _guard.Stored(topicSourceId, stream, firstSeq);

        Interlocked.Increment(ref _batchesPersisted);
        Interlocked.Add(ref _recordsStored, result.Stored);
        Interlocked.Add(ref _recordsDuplicate, result.Duplicates);
        LogPersisted(_logger, topicSourceId, stream, firstSeq, lastSeq, result.Stored, result.Duplicates);

        return new DeliveryAck(stream, firstSeq, lastSeq, AckStatus.Persisted, result.Stored, result.Duplicates);
    }

    /// <summary>Reads and records a birth or death published on <c>civic/v1/{topicSourceId}/state</c>.</summary>
    /// <returns>Null when recorded; the refusal otherwise (there is no acknowledgement for states).</returns>
    public async Task<Rejection?> IngestStateAsync(string topicSourceId, ReadOnlySequence<byte> payload, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(topicSourceId);

        Rejection? rejection;
        if (!UplinkJson.TryRead(payload, ContractsJson.Default.SourceState, StateDescription, out var state, out var reason))
        {
            rejection = new Rejection(RejectionCause.MalformedPayload, reason);
        }
        else if (!string.Equals(state.SourceId, topicSourceId, StringComparison.Ordinal))
        {
            rejection = new Rejection(
                RejectionCause.SourceMismatch,
                $"sourceId: expected {TelemetryBatchValidator.Quote(topicSourceId)} (the source in the topic), found {TelemetryBatchValidator.Quote(state.SourceId)}");
        }
        else
        {
            await _store.RecordSourceStateAsync(state, cancellationToken).ConfigureAwait(false);
            Interlocked.Increment(ref _statesRecorded);
            LogStateRecorded(_logger, topicSourceId, state.Online ? "online" : "offline", state.Version);
            return null;
        }

        Interlocked.Increment(ref _statesRejected);
        LogStateRejected(_logger, topicSourceId, rejection.Cause, rejection.Reason);
        return rejection;
    }

    /// <summary>A consistent-enough copy of the counters: each value is exact, the set is not taken atomically.</summary>
    public IngestCounters Snapshot()
    {
        var byCause = new Dictionary<RejectionCause, long>();
        var batchesRejected = 0L;
        foreach (var cause in Enum.GetValues<RejectionCause>())
        {
            var count = Interlocked.Read(ref _rejectedByCause[(int)cause]);
            if (count > 0)
            {
                byCause[cause] = count;
                batchesRejected += count;
            }
        }

        return new IngestCounters(
            Interlocked.Read(ref _batchesPersisted),
            Interlocked.Read(ref _recordsStored),
            Interlocked.Read(ref _recordsDuplicate),
            batchesRejected,
            byCause,
            Interlocked.Read(ref _statesRecorded),
            Interlocked.Read(ref _statesRejected));
    }

    private DeliveryAck Reject(string sourceId, string stream, long firstSeq, long lastSeq, Rejection rejection)
    {
        Interlocked.Increment(ref _rejectedByCause[(int)rejection.Cause]);
        LogBatchRejected(_logger, sourceId, stream, firstSeq, lastSeq, rejection.Cause, rejection.Reason);
        return new DeliveryAck(stream, firstSeq, lastSeq, AckStatus.Rejected, 0, 0, rejection.Reason);
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Persisted batch {SourceId}/{Stream} seq {FirstSeq}..{LastSeq}: {Stored} stored, {Duplicates} duplicates")]
    private static partial void LogPersisted(ILogger logger, string sourceId, string stream, long firstSeq, long lastSeq, int stored, int duplicates);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Rejected batch {SourceId}/{Stream} seq {FirstSeq}..{LastSeq} ({Cause}): {Reason}")]
    private static partial void LogBatchRejected(ILogger logger, string sourceId, string stream, long firstSeq, long lastSeq, RejectionCause cause, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Source {SourceId} is {Status} (version {Version})")]
    private static partial void LogStateRecorded(ILogger logger, string sourceId, string status, string? version);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Rejected state of source {SourceId} ({Cause}): {Reason}")]
    private static partial void LogStateRejected(ILogger logger, string sourceId, RejectionCause cause, string reason);
}
