using CivicEdge.Fleet.Contracts;
using CivicEdge.Gateway.Configuration;
using CivicEdge.Gateway.Storage;
using Microsoft.Extensions.Logging;

namespace CivicEdge.Gateway.Uplink;

/// <summary>
/// Moves one stream of the outbox to the fleet over a session: sends batches in sequence order, keeps at most
/// <see cref="UplinkOptions.MaxInFlight"/> of them unacknowledged, sends a batch again when its acknowledgement does
/// not come in time (the fleet deduplicates by sequence number), deletes records only on the fleet's
/// <see cref="AckStatus.Persisted"/> and quarantines them on <see cref="AckStatus.Rejected"/>. A broker PUBACK deletes
/// nothing. Every new session starts again from the oldest waiting record, so a reconnect resends whatever the fleet
/// has not acknowledged, in order.
/// </summary>
public sealed partial class OutboxDelivery
{
    private readonly Outbox _outbox;
    private readonly string _sourceId;
    private readonly string _stream;
    private readonly UplinkOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger<OutboxDelivery> _logger;

    public OutboxDelivery(
        Outbox outbox,
        string sourceId,
        string stream,
        UplinkOptions options,
        TimeProvider timeProvider,
        ILogger<OutboxDelivery> logger)
    {
        ArgumentNullException.ThrowIfNull(outbox);
        ArgumentException.ThrowIfNullOrEmpty(sourceId);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.BatchSize);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.MaxInFlight);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(options.AckTimeout, TimeSpan.Zero);
        if (!Outbox.IsValidStream(stream))
            throw new ArgumentException($"'{stream}' is not a valid stream name.", nameof(stream));

        _outbox = outbox;
        _sourceId = sourceId;
        _stream = stream;
        _options = options;
        _timeProvider = timeProvider ?? throw new ArgumentNullException(nameof(timeProvider));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
    }

    /// <summary>
    /// Delivers until the session closes (returns) or <paramref name="cancellationToken"/> is cancelled (throws
    /// <see cref="OperationCanceledException"/>). Throws whatever the session throws when a publish fails.
    /// </summary>
    public async Task RunAsync(IUplinkSession session, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, session.Closed);
        var token = linked.Token;
        var inFlight = new List<InFlightBatch>();
        long sentThrough = 0;

        var status = _outbox.Status(_stream);
        LogSessionStarted(_logger, _stream, status.Depth, status.OldestSeq);
        try
        {
            while (!session.Acks.Completion.IsCompleted)
            {
                token.ThrowIfCancellationRequested();
                while (session.Acks.TryRead(out var ack))
                    Apply(ack, inFlight);

                await ResendOverdueAsync(session, inFlight, token).ConfigureAwait(false);

                while (inFlight.Count < _options.MaxInFlight)
                {
                    var records = _outbox.Peek(_stream, sentThrough, _options.BatchSize);
                    if (records.Count == 0)
                        break;
                    var batch = new InFlightBatch(new TelemetryBatch(_sourceId, _stream, records));
                    var sentAt = _timeProvider.GetUtcNow();
                    await session.PublishAsync(batch.Batch, token).ConfigureAwait(false);
                    batch.Deadline = sentAt + _options.AckTimeout;
                    inFlight.Add(batch);
                    sentThrough = batch.Last;
                    LogBatchSent(_logger, _stream, batch.First, batch.Last, records.Count);
                }

                await WaitForWorkAsync(session, inFlight, sentThrough, token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (session.Closed.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            // The connection is gone; records still in flight stay in the outbox and go out again on the next session.
        }
    }

    private async Task ResendOverdueAsync(IUplinkSession session, List<InFlightBatch> inFlight, CancellationToken token)
    {
        foreach (var batch in inFlight)
        {
            if (batch.Deadline > _timeProvider.GetUtcNow())
                continue;
            batch.Attempts++;
            LogResending(_logger, _stream, batch.First, batch.Last, _options.AckTimeout, batch.Attempts);
            var sentAt = _timeProvider.GetUtcNow();
            await session.PublishAsync(batch.Batch, token).ConfigureAwait(false);
            batch.Deadline = sentAt + _options.AckTimeout;
        }
    }

    /// <summary>Waits for an acknowledgement, a new record the window has room for, or the next ack deadline.</summary>
    private async Task WaitForWorkAsync(IUplinkSession session, List<InFlightBatch> inFlight, long sentThrough, CancellationToken token)
    {
        using var wake = CancellationTokenSource.CreateLinkedTokenSource(token);
        var waits = new List<Task>(3) { session.Acks.WaitToReadAsync(wake.Token).AsTask() };
        if (inFlight.Count < _options.MaxInFlight)
            waits.Add(_outbox.WaitForRecordsAsync(_stream, sentThrough, wake.Token));
        if (inFlight.Count > 0)
        {
            var due = inFlight.Min(batch => batch.Deadline) - _timeProvider.GetUtcNow();
            waits.Add(Task.Delay(due > TimeSpan.Zero ? due : TimeSpan.Zero, _timeProvider, wake.Token));
        }

        await Task.WhenAny(waits).ConfigureAwait(false);
        await wake.CancelAsync().ConfigureAwait(false);
    }

    private void Apply(DeliveryAck ack, List<InFlightBatch> inFlight)
    {
        if (ack.Stream != _stream || ack.FirstSeq < 1 || ack.LastSeq < ack.FirstSeq)
        {
            LogAckIgnored(_logger, ack.Stream, ack.FirstSeq, ack.LastSeq, ack.Status);
            return;
        }

        // Only an answer to a batch in flight counts: a late or repeated answer (to a batch sent again, or sent in an
        // earlier session) matches nothing, and the batch now in flight gets its own answer.
        var index = inFlight.FindIndex(batch => batch.First == ack.FirstSeq && batch.Last == ack.LastSeq);
        if (index < 0)
        {
            LogAckUnmatched(_logger, ack.Stream, ack.FirstSeq, ack.LastSeq, ack.Status);
            return;
        }

        inFlight.RemoveAt(index);
        if (ack.Status == AckStatus.Persisted)
        {
            var deleted = _outbox.Acknowledge(_stream, ack.FirstSeq, ack.LastSeq);
            LogPersisted(_logger, _stream, ack.FirstSeq, ack.LastSeq, ack.Stored, ack.Duplicates, deleted);
        }
        else
        {
            var reason = string.IsNullOrWhiteSpace(ack.Reason) ? "rejected by the fleet without a reason" : ack.Reason;
            var moved = _outbox.Quarantine(_stream, ack.FirstSeq, ack.LastSeq, reason);
            LogRejected(_logger, _stream, ack.FirstSeq, ack.LastSeq, reason, moved);
        }
    }

    private sealed class InFlightBatch(TelemetryBatch batch)
    {
        public TelemetryBatch Batch { get; } = batch;

        public long First { get; } = batch.Records[0].Seq;

        public long Last { get; } = batch.Records[^1].Seq;

        public DateTimeOffset Deadline { get; set; }

        public int Attempts { get; set; } = 1;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Delivering stream {Stream}: {Depth} records waiting, oldest {OldestSeq}")]
    private static partial void LogSessionStarted(ILogger logger, string stream, long depth, long? oldestSeq);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Sent {Stream} {FirstSeq}..{LastSeq} ({Count} records)")]
    private static partial void LogBatchSent(ILogger logger, string stream, long firstSeq, long lastSeq, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "No acknowledgement of {Stream} {FirstSeq}..{LastSeq} within {AckTimeout}; sending it again (attempt {Attempt})")]
    private static partial void LogResending(ILogger logger, string stream, long firstSeq, long lastSeq, TimeSpan ackTimeout, int attempt);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Fleet persisted {Stream} {FirstSeq}..{LastSeq} ({Stored} new, {Duplicates} duplicates); deleted {Deleted} from the outbox")]
    private static partial void LogPersisted(ILogger logger, string stream, long firstSeq, long lastSeq, int stored, int duplicates, int deleted);

    [LoggerMessage(Level = LogLevel.Error, Message = "Fleet rejected {Stream} {FirstSeq}..{LastSeq}: {Reason}; quarantined {Moved} records")]
    private static partial void LogRejected(ILogger logger, string stream, long firstSeq, long lastSeq, string reason, int moved);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Ignored a malformed acknowledgement: stream {Stream} {FirstSeq}..{LastSeq} {Status}")]
    private static partial void LogAckIgnored(ILogger logger, string stream, long firstSeq, long lastSeq, AckStatus status);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Ignored an acknowledgement of a batch not in flight: stream {Stream} {FirstSeq}..{LastSeq} {Status}")]
    private static partial void LogAckUnmatched(ILogger logger, string stream, long firstSeq, long lastSeq, AckStatus status);
}
