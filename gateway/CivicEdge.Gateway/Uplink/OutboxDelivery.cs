using System.Buffers;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using CivicEdge.Fleet.Contracts;
using CivicEdge.Gateway.Configuration;
using CivicEdge.Gateway.Storage;
using Microsoft.Extensions.Logging;

namespace CivicEdge.Gateway.Uplink;

/// <summary>
/// Moves the outbox to the fleet over a session, all three streams over one connection: events first, then billing
/// readings, then routine telemetry, each in sequence order. Per stream it keeps at most
/// <see cref="UplinkOptions.MaxInFlight"/> batches unacknowledged, sends a batch again when its acknowledgement does
/// not come in time (the fleet deduplicates by sequence number), deletes records only on the fleet's
/// <see cref="AckStatus.Persisted"/> and quarantines them on <see cref="AckStatus.Rejected"/>. A broker PUBACK deletes
/// nothing. Every new session starts again from the oldest waiting record, so a reconnect resends whatever the fleet
/// has not acknowledged, in order.
/// </summary>
/// <remarks>
/// Catching up after a long outage is paced by <see cref="UplinkOptions.MaxRecordsPerSecond"/> (a
/// <see cref="RateBudget"/> shared by the streams, taken in their order), so it neither floods the broker nor the
/// fleet. While a stream's oldest waiting record is older than <see cref="UplinkOptions.LiveAfter"/>, the newest
/// reading of each device also goes out on the live topic every <see cref="UplinkOptions.LiveInterval"/>, so the
/// fleet shows current values while the backlog drains.
/// </remarks>
public sealed partial class OutboxDelivery
{
    /// <summary>The order streams are served in: events first, routine telemetry last.</summary>
    public static readonly IReadOnlyList<string> DeliveryOrder = [Streams.Events, Streams.Billing, Streams.Telemetry];

    private readonly Outbox _outbox;
    private readonly string _sourceId;
    private readonly UplinkOptions _options;
    private readonly UplinkMonitor _monitor;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger<OutboxDelivery> _logger;
    private readonly RateBudget _budget;
    private readonly int _batchSize;

    /// <summary>Where candidate batches are encoded to measure them: reused, so that large batches allocate once.</summary>
    private readonly ArrayBufferWriter<byte> _measure = new(64 * 1024);

    public OutboxDelivery(
        Outbox outbox,
        string sourceId,
        UplinkOptions options,
        UplinkMonitor monitor,
        TimeProvider timeProvider,
        ILogger<OutboxDelivery> logger)
    {
        ArgumentNullException.ThrowIfNull(outbox);
        ArgumentException.ThrowIfNullOrEmpty(sourceId);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.BatchSize);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.MaxInFlight);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(options.AckTimeout, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(options.LiveInterval, TimeSpan.Zero);

        _outbox = outbox;
        _sourceId = sourceId;
        _options = options;
        _monitor = monitor ?? throw new ArgumentNullException(nameof(monitor));
        _timeProvider = timeProvider ?? throw new ArgumentNullException(nameof(timeProvider));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
        _budget = new RateBudget(options.MaxRecordsPerSecond, timeProvider);
        _batchSize = Math.Min(options.BatchSize, _budget.Capacity);
    }

    /// <summary>
    /// Delivers until the session closes (returns) or <paramref name="cancellationToken"/> is cancelled (throws
    /// <see cref="OperationCanceledException"/>). Throws whatever the session or the outbox throws.
    /// </summary>
    public async Task RunAsync(IUplinkSession session, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, session.Closed);
        var token = linked.Token;
        var lanes = DeliveryOrder.Select(stream => new Lane(stream, _batchSize)).ToList();
        var nextLive = _timeProvider.GetUtcNow();

        foreach (var lane in lanes)
        {
            var status = _outbox.Status(lane.Stream);
            LogSessionStarted(_logger, lane.Stream, status.Depth, status.OldestSeq);
        }

        try
        {
            while (!session.Acks.Completion.IsCompleted)
            {
                token.ThrowIfCancellationRequested();
                var appended = _outbox.NextAppend;
                var persisted = new List<(string Stream, SequenceRange Range)>();
                while (session.Acks.TryRead(out var ack))
                    Apply(ack, lanes, persisted);
                DeletePersisted(persisted);

                var budgetWait = await ResendOverdueAsync(session, lanes, token).ConfigureAwait(false)
                    ?? await SendNewAsync(session, lanes, token).ConfigureAwait(false);

                if (_timeProvider.GetUtcNow() >= nextLive)
                {
                    await SendLiveAsync(session, lanes, token).ConfigureAwait(false);
                    nextLive = _timeProvider.GetUtcNow() + _options.LiveInterval;
                }

                await WaitForWorkAsync(session, lanes, appended, budgetWait, nextLive, token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (session.Closed.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            // The connection is gone; records still in flight stay in the outbox and go out again on the next session.
        }
    }

    /// <summary>Sends again, in stream order, every batch whose acknowledgement is overdue; the wait for budget if it ran out.</summary>
    private async Task<TimeSpan?> ResendOverdueAsync(IUplinkSession session, List<Lane> lanes, CancellationToken token)
    {
        foreach (var lane in lanes)
        {
            foreach (var batch in lane.InFlight)
            {
                if (batch.Deadline > _timeProvider.GetUtcNow())
                    continue;
                if (!_budget.TryTake(batch.Count))
                    return _budget.TimeUntil(batch.Count);

                batch.Attempts++;
                LogResending(_logger, lane.Stream, batch.First, batch.Last, _options.AckTimeout, batch.Attempts);
                var sentAt = _timeProvider.GetUtcNow();
                await batch.Publish(session, token).ConfigureAwait(false);
                batch.Deadline = sentAt + _options.AckTimeout;
                _monitor.Resent(lane.Stream, batch.Count);
            }
        }

        return null;
    }

    /// <summary>
    /// Fills each stream's window, in stream order; stops at the first batch the budget cannot pay for, so a lower
    /// stream never takes budget a higher one is waiting for. Returns the wait for budget, if it ran out.
    /// </summary>
    private async Task<TimeSpan?> SendNewAsync(IUplinkSession session, List<Lane> lanes, CancellationToken token)
    {
        foreach (var lane in lanes)
        {
            while (lane.InFlight.Count < _options.MaxInFlight)
            {
                lane.Next ??= Prepare(lane);
                if (lane.Next is not { } batch)
                    break;
                if (!_budget.TryTake(batch.Count))
                    return _budget.TimeUntil(batch.Count);

                var sentAt = _timeProvider.GetUtcNow();
                await batch.Publish(session, token).ConfigureAwait(false);
                batch.Deadline = sentAt + _options.AckTimeout;
                lane.InFlight.Add(batch);
                lane.SentThrough = batch.Last;
                lane.Next = null;
                _monitor.Sent(lane.Stream, batch.Count);
                LogBatchSent(_logger, lane.Stream, batch.First, batch.Last, batch.Count);
            }
        }

        return null;
    }

    private OutgoingBatch? Prepare(Lane lane)
    {
        if (lane.Stream == Streams.Events)
        {
            var peeked = _outbox.PeekEvents(lane.SentThrough, lane.PeekSize);
            if (peeked.Count == 0)
                return null;
            var events = Fit(lane, peeked, records => Measure(new EventBatch(_sourceId, lane.Stream, records), ContractsJson.Default.EventBatch));
            var batch = new EventBatch(_sourceId, lane.Stream, events);
            return new OutgoingBatch(events[0].Seq, events[^1].Seq, events.Count, (session, token) => session.PublishAsync(batch, token));
        }

        var waiting = _outbox.Peek(lane.Stream, lane.SentThrough, lane.PeekSize);
        if (waiting.Count == 0)
            return null;
        var fitted = Fit(lane, waiting, records => Measure(new TelemetryBatch(_sourceId, lane.Stream, records), ContractsJson.Default.TelemetryBatch));
        var readings = new TelemetryBatch(_sourceId, lane.Stream, fitted);
        return new OutgoingBatch(fitted[0].Seq, fitted[^1].Seq, fitted.Count, (session, token) => session.PublishAsync(readings, token));
    }

    /// <summary>The size of <paramref name="batch"/> on the wire, in bytes.</summary>
    private int Measure<T>(T batch, JsonTypeInfo<T> typeInfo)
    {
        _measure.ResetWrittenCount();
        using (var writer = new Utf8JsonWriter(_measure))
            JsonSerializer.Serialize(writer, batch, typeInfo);
        return _measure.WrittenCount;
    }

    /// <summary>
    /// The longest prefix of <paramref name="records"/> whose message fits <see cref="UplinkOptions.MaxMessageBytes"/>
    /// (at least one record, which goes alone however large it is). The stream reads about that many next time.
    /// </summary>
    private List<T> Fit<T>(Lane lane, IReadOnlyList<T> records, Func<List<T>, int> measure)
    {
        var fitted = records as List<T> ?? [.. records];
        var size = measure(fitted);
        while (size > _options.MaxMessageBytes && fitted.Count > 1)
        {
            // Records of one stream are alike in size, so the share that fits is a close first guess; shrink by a tenth
            // more each round in case it was not.
            var count = (int)Math.Min(fitted.Count - 1, (long)fitted.Count * _options.MaxMessageBytes / size * 9 / 10);
            fitted = fitted.GetRange(0, Math.Max(1, count));
            size = measure(fitted);
        }

        lane.PeekSize = fitted.Count < records.Count
            ? Math.Min(_batchSize, fitted.Count + fitted.Count / 4 + 1)
            : Math.Min(_batchSize, lane.PeekSize * 2);
        return fitted;
    }

    /// <summary>
    /// While a stream's backlog is older than <see cref="UplinkOptions.LiveAfter"/>, publishes the newest reading of
    /// every device that has not gone out yet on the live topic.
    /// </summary>
    private async Task SendLiveAsync(IUplinkSession session, List<Lane> lanes, CancellationToken token)
    {
        var now = _timeProvider.GetUtcNow();
        foreach (var lane in lanes.Where(lane => lane.Stream != Streams.Events))
        {
            var oldest = _outbox.Status(lane.Stream).OldestTimestamp;
            var behind = oldest is { } taken && now - taken > _options.LiveAfter;
            if (behind != lane.Live)
            {
                lane.Live = behind;
                if (behind)
                    LogLiveStarted(_logger, lane.Stream, now - oldest!.Value);
                else
                    LogLiveEnded(_logger, lane.Stream);
            }

            if (!behind)
                continue;

            var newest = _outbox.PeekNewest(lane.Stream, Math.Max(lane.LiveThrough, lane.SentThrough), _batchSize);
            if (newest.Count == 0)
                continue;

            lane.LiveThrough = newest[0].Seq;
            var current = newest
                .GroupBy(record => record.DeviceId, StringComparer.Ordinal)
                .Select(device => device.First())
                .OrderBy(record => record.Seq)
                .ToList();
            await session.PublishLiveAsync(new TelemetryBatch(_sourceId, lane.Stream, current), token).ConfigureAwait(false);
            _monitor.Live(lane.Stream, current.Count);
        }
    }

    /// <summary>
    /// Waits for an acknowledgement, a new record a window has room for, the next ack deadline, budget to refill or
    /// the next live round.
    /// </summary>
    private async Task WaitForWorkAsync(
        IUplinkSession session,
        List<Lane> lanes,
        Task appended,
        TimeSpan? budgetWait,
        DateTimeOffset nextLive,
        CancellationToken token)
    {
        using var wake = CancellationTokenSource.CreateLinkedTokenSource(token);
        var now = _timeProvider.GetUtcNow();
        var waits = new List<Task>(5) { session.Acks.WaitToReadAsync(wake.Token).AsTask() };
        if (budgetWait is { } refill)
            waits.Add(Task.Delay(refill, _timeProvider, wake.Token));
        else if (lanes.Any(lane => lane.InFlight.Count < _options.MaxInFlight))
            waits.Add(appended);

        var deadlines = lanes.SelectMany(lane => lane.InFlight).Select(batch => batch.Deadline).ToList();
        if (deadlines.Count > 0)
            waits.Add(Task.Delay(Max(deadlines.Min() - now, TimeSpan.Zero), _timeProvider, wake.Token));
        waits.Add(Task.Delay(Max(nextLive - now, TimeSpan.Zero), _timeProvider, wake.Token));

        await Task.WhenAny(waits).ConfigureAwait(false);
        await wake.CancelAsync().ConfigureAwait(false);
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    /// <summary>Deletes what the fleet persisted, every acknowledgement that arrived together in one transaction.</summary>
    private void DeletePersisted(List<(string Stream, SequenceRange Range)> persisted)
    {
        if (persisted.Count == 0)
            return;
        var deleted = _outbox.Acknowledge(persisted);
        LogDeleted(_logger, deleted, persisted.Count);
    }

    private void Apply(DeliveryAck ack, List<Lane> lanes, List<(string Stream, SequenceRange Range)> persisted)
    {
        var lane = lanes.Find(lane => lane.Stream == ack.Stream);
        if (lane is null || ack.FirstSeq < 1 || ack.LastSeq < ack.FirstSeq)
        {
            LogAckIgnored(_logger, ack.Stream, ack.FirstSeq, ack.LastSeq, ack.Status);
            return;
        }

        // Only an answer to a batch in flight counts: a late or repeated answer (to a batch sent again, or sent in an
        // earlier session) matches nothing, and the batch now in flight gets its own answer.
        var index = lane.InFlight.FindIndex(batch => batch.First == ack.FirstSeq && batch.Last == ack.LastSeq);
        if (index < 0)
        {
            LogAckUnmatched(_logger, ack.Stream, ack.FirstSeq, ack.LastSeq, ack.Status);
            return;
        }

        var acknowledged = lane.InFlight[index];
        lane.InFlight.RemoveAt(index);
        if (ack.Status == AckStatus.Persisted)
        {
            persisted.Add((lane.Stream, new SequenceRange(ack.FirstSeq, ack.LastSeq)));
            _monitor.Acknowledged(lane.Stream, acknowledged.Count);
            LogPersisted(_logger, lane.Stream, ack.FirstSeq, ack.LastSeq, ack.Stored, ack.Duplicates);
        }
        else
        {
            var reason = string.IsNullOrWhiteSpace(ack.Reason) ? "rejected by the fleet without a reason" : ack.Reason;
            var moved = _outbox.Quarantine(lane.Stream, ack.FirstSeq, ack.LastSeq, reason);
            _monitor.Rejected(lane.Stream, acknowledged.Count);
            LogRejected(_logger, lane.Stream, ack.FirstSeq, ack.LastSeq, reason, moved);
        }
    }

    /// <summary>One stream's place in the session: what is in flight, what has been sent and sent live.</summary>
    private sealed class Lane(string stream, int peekSize)
    {
        public string Stream { get; } = stream;

        /// <summary>How many records to read for the next batch: about as many as fitted in a message last time.</summary>
        public int PeekSize { get; set; } = peekSize;

        public List<OutgoingBatch> InFlight { get; } = [];

        /// <summary>A batch read from the outbox that is waiting for budget.</summary>
        public OutgoingBatch? Next { get; set; }

        public long SentThrough { get; set; }

        public long LiveThrough { get; set; }

        public bool Live { get; set; }
    }

    private sealed class OutgoingBatch(long first, long last, int count, Func<IUplinkSession, CancellationToken, Task> publish)
    {
        public long First { get; } = first;

        public long Last { get; } = last;

        public int Count { get; } = count;

        public DateTimeOffset Deadline { get; set; }

        public int Attempts { get; set; } = 1;

        public Task Publish(IUplinkSession session, CancellationToken token) => publish(session, token);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Delivering stream {Stream}: {Depth} records waiting, oldest {OldestSeq}")]
    private static partial void LogSessionStarted(ILogger logger, string stream, long depth, long? oldestSeq);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Sent {Stream} {FirstSeq}..{LastSeq} ({Count} records)")]
    private static partial void LogBatchSent(ILogger logger, string stream, long firstSeq, long lastSeq, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "No acknowledgement of {Stream} {FirstSeq}..{LastSeq} within {AckTimeout}; sending it again (attempt {Attempt})")]
    private static partial void LogResending(ILogger logger, string stream, long firstSeq, long lastSeq, TimeSpan ackTimeout, int attempt);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Fleet persisted {Stream} {FirstSeq}..{LastSeq} ({Stored} new, {Duplicates} duplicates)")]
    private static partial void LogPersisted(ILogger logger, string stream, long firstSeq, long lastSeq, int stored, int duplicates);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Deleted {Deleted} acknowledged records from the outbox ({Batches} batches)")]
    private static partial void LogDeleted(ILogger logger, int deleted, int batches);

    [LoggerMessage(Level = LogLevel.Error, Message = "Fleet rejected {Stream} {FirstSeq}..{LastSeq}: {Reason}; quarantined {Moved} records")]
    private static partial void LogRejected(ILogger logger, string stream, long firstSeq, long lastSeq, string reason, int moved);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Ignored a malformed acknowledgement: stream {Stream} {FirstSeq}..{LastSeq} {Status}")]
    private static partial void LogAckIgnored(ILogger logger, string stream, long firstSeq, long lastSeq, AckStatus status);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Ignored an acknowledgement of a batch not in flight: stream {Stream} {FirstSeq}..{LastSeq} {Status}")]
    private static partial void LogAckUnmatched(ILogger logger, string stream, long firstSeq, long lastSeq, AckStatus status);

    [LoggerMessage(Level = LogLevel.Information, Message = "The {Stream} backlog is {Age} old: sending the newest values on the live topic while it drains")]
    private static partial void LogLiveStarted(ILogger logger, string stream, TimeSpan age);

    [LoggerMessage(Level = LogLevel.Information, Message = "The {Stream} backlog has caught up: no more live values")]
    private static partial void LogLiveEnded(ILogger logger, string stream);
}
