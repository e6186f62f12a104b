using System.Globalization;
using System.Threading.Channels;
using CivicEdge.Fleet.Contracts;
using CivicEdge.Gateway.Acquisition;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CivicEdge.Gateway.Storage;

/// <summary>
/// Commits the pollers' readings and the gateway's events to the <see cref="Outbox"/>, as many as are waiting in one
/// transaction: each commit costs an fsync, so a burst from many devices shares one. On shutdown it commits whatever
/// the pollers produced before they stopped.
/// </summary>
/// <remarks>
/// A write the disk refuses (full, or an I/O error) never stops acquisition: the writer keeps taking readings into a
/// bounded memory queue (<see cref="Configuration.OutboxOptions.MemoryQueueCapacity"/>; beyond it the oldest routine
/// telemetry is dropped first, and counted), reports the condition in <see cref="StorageHealth"/> and the log (once),
/// and retries with a growing delay. A commit that failed may still have reached the journal, so before it is tried
/// again its token is looked up: nothing is stored twice. Once writes succeed again, the episode is stored as an
/// <c>outbox_write_failed</c> event raised when it began and cleared now, with the count of what was lost.
/// </remarks>
public sealed partial class OutboxWriter(
    Outbox outbox,
    ChannelReader<DeviceReading> readings,
    ChannelReader<DeviceEvent> events,
    StorageHealth health,
    string sourceId,
    TimeProvider timeProvider,
    ILogger<OutboxWriter> logger) : BackgroundService
{
    /// <summary>The most readings (and, separately, events) committed in one transaction.</summary>
    public const int MaxRecordsPerCommit = 500;

    /// <summary>The event code of a period in which the disk refused writes.</summary>
    public const string WriteFailedCode = "outbox_write_failed";

    private readonly PendingRecords _pending = new(outbox.Options.MemoryQueueCapacity);
    private readonly Dictionary<string, long> _lostInEpisode = new(StringComparer.Ordinal);
    private Unconfirmed? _unconfirmed;
    private DateTimeOffset? _failingSince;
    private StorageCondition _failure;
    private string _lastError = string.Empty;
    private TimeSpan _retryDelay;
    private DateTimeOffset _retryAt;
    private long _droppedInEpisode;
    private bool _overflowing;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            foreach (var stream in Outbox.DropOrder)
            {
                var status = outbox.Status(stream);
                LogOpened(logger, outbox.Path, stream, status.Depth, status.LastSeq, status.Quarantined, status.Dropped);
            }
        }
        catch (Exception ex) when (ex is IOException or LiteDB.LiteException or InvalidDataException)
        {
            // Reading the status is only for the log; writing is what matters, and its failures are handled below.
            LogStatusUnreadable(logger, outbox.Path, ex.Message);
        }

        try
        {
            while (true)
            {
                Drain();
                if (_pending.Count == 0 && _unconfirmed is null)
                {
                    if (!await WaitForInputAsync(stoppingToken).ConfigureAwait(false))
                        break;
                    continue;
                }

                var now = timeProvider.GetUtcNow();
                if (_failingSince is not null && now < _retryAt)
                {
                    // Keep taking readings into memory while the disk refuses them, so that polling goes on.
                    var input = WaitForInputAsync(stoppingToken);
                    await Task.WhenAny(input, Task.Delay(_retryAt - now, timeProvider, stoppingToken)).ConfigureAwait(false);
                    stoppingToken.ThrowIfCancellationRequested();
                    continue;
                }

                CommitPending();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The pollers stop before this service (hosted services stop in reverse order), so what they produced is
            // already queued: commit it below.
        }

        Drain(all: true);
        CommitPending();
        var left = _pending.Count + (_unconfirmed?.Count ?? 0);
        if (left > 0)
            LogLostOnShutdown(logger, left, _lastError);
    }

    /// <summary>
    /// Moves queued readings and events into the pending queue: only what the next commits need while writes succeed
    /// (the bounded channels then hold the pollers back), everything while they fail (the memory queue bounds it).
    /// </summary>
    private void Drain(bool all = false)
    {
        var limit = all || _failingSince is not null ? int.MaxValue : MaxRecordsPerCommit * 2;
        while (_pending.Readings < limit && readings.TryRead(out var reading))
        {
            if (reading.Stream is Streams.Telemetry or Streams.Billing)
            {
                Count(_pending.Add(reading));
            }
            else
            {
                // A producer's mistake: the outbox would refuse the whole commit, so this one reading is refused here.
                health.Lost(reading.Stream);
                LogUnknownStream(logger, reading.DeviceId, reading.Stream);
            }
        }

        while (_pending.Events < limit && events.TryRead(out var deviceEvent))
            Count(_pending.Add(deviceEvent));
        health.Buffered(_pending.Count + (_unconfirmed?.Count ?? 0));
    }

    private void Count(string? droppedStream)
    {
        if (droppedStream is null)
            return;
        _lostInEpisode[droppedStream] = _lostInEpisode.GetValueOrDefault(droppedStream) + 1;
        health.Lost(droppedStream);
        if (_lostInEpisode.Values.Sum() == 1)
            LogMemoryQueueFull(logger, outbox.Options.MemoryQueueCapacity, droppedStream);
    }

    /// <summary>Completes with true when either channel has something to read, false when both are completed.</summary>
    private async Task<bool> WaitForInputAsync(CancellationToken cancellationToken)
    {
        if (readings.TryPeek(out _) || events.TryPeek(out _))
            return true;
        var readingsReady = readings.WaitToReadAsync(cancellationToken).AsTask();
        var eventsReady = events.WaitToReadAsync(cancellationToken).AsTask();
        var first = await Task.WhenAny(readingsReady, eventsReady).ConfigureAwait(false);
        if (await first.ConfigureAwait(false))
            return true;
        return await (first == readingsReady ? eventsReady : readingsReady).ConfigureAwait(false);
    }

    /// <summary>Commits everything pending in chunks, until it is all stored or a write fails.</summary>
    private void CommitPending()
    {
        while (true)
        {
            var chunk = _unconfirmed;
            if (chunk is null)
            {
                if (_pending.Count == 0)
                    return;
                var (chunkReadings, chunkEvents) = _pending.Take(MaxRecordsPerCommit);
                chunk = new Unconfirmed(Guid.NewGuid().ToString("N"), chunkReadings, chunkEvents);
            }

            OutboxAppendResult? result;
            try
            {
                // A commit that failed may have reached the journal all the same; its token says whether it did.
                result = _unconfirmed is not null && outbox.HasCommitted(chunk.Token)
                    ? null
                    : outbox.Append(chunk.Readings, chunk.Events, chunk.Token);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                _unconfirmed = chunk;
                Failed(ex);
                return;
            }

            _unconfirmed = null;
            if (result is not null)
                Committed(result);
            else
                LogCommittedBeforeFailure(logger, chunk.Count);
            if (_failingSince is not null)
                Recovered();
            health.Buffered(_pending.Count);
        }
    }

    private void Committed(OutboxAppendResult result)
    {
        foreach (var (stream, range) in result.Ranges)
            LogCommitted(logger, stream, range.First, range.Last);

        foreach (var drop in result.Dropped)
        {
            _droppedInEpisode += drop.Count;
            if (!_overflowing)
            {
                _overflowing = true;
                health.Overflowing(true);
                LogOverflowStarted(logger, outbox.Options.MaxRecords, outbox.Options.MaxMegabytes, drop.Stream, drop.FirstSeq, drop.LastSeq);
            }
        }

        if (result.RoomAgain && _overflowing)
        {
            _overflowing = false;
            health.Overflowing(false);
            LogOverflowEnded(logger, _droppedInEpisode, string.Join(", ", result.Reported.Select(drop => $"{drop.Count} {drop.Stream} {drop.FirstSeq}..{drop.LastSeq}")));
            _droppedInEpisode = 0;
        }
    }

    private void Failed(Exception error)
    {
        var now = timeProvider.GetUtcNow();
        var condition = IsDiskFull(error) ? StorageCondition.DiskFull : StorageCondition.WriteFailing;
        _lastError = error.Message;
        if (_failingSince is null || condition != _failure)
        {
            _failingSince ??= now;
            _failure = condition;
            _retryDelay = outbox.Options.RetryDelay;
            LogWriteFailed(logger, outbox.Path, condition, error.GetType().Name, error.Message, outbox.Options.MemoryQueueCapacity);
        }
        else
        {
            _retryDelay = TimeSpan.FromTicks(Math.Min(_retryDelay.Ticks * 2, outbox.Options.MaxRetryDelay.Ticks));
        }

        health.Failing(condition, now, error.Message);
        _retryAt = now + _retryDelay;
    }

    private void Recovered()
    {
        var now = timeProvider.GetUtcNow();
        var since = _failingSince!.Value;
        var lost = _lostInEpisode.Values.Sum();
        var lostText = string.Join(", ", _lostInEpisode.Select(entry => string.Create(CultureInfo.InvariantCulture, $"{entry.Value} {entry.Key}")));
        var what = _failure == StorageCondition.DiskFull ? "the disk was full" : "writes failed";
        _pending.AddReport(new DeviceEvent(sourceId, since, WriteFailedCode, EventState.Raised, EventSeverity.Major,
            $"The outbox could not store readings: {what} ({_lastError}); holding up to {outbox.Options.MemoryQueueCapacity} in memory.", Value: 0));
        _pending.AddReport(new DeviceEvent(sourceId, now, WriteFailedCode, EventState.Cleared, lost > 0 ? EventSeverity.Major : EventSeverity.Info,
            lost > 0
                ? $"The outbox stores readings again after {now - since:g}; {lost} records did not fit in memory and were lost ({lostText})."
                : $"The outbox stores readings again after {now - since:g}; nothing was lost.",
            Value: lost));
        LogRecovered(logger, outbox.Path, now - since, lost);
        _failingSince = null;
        _lostInEpisode.Clear();
        health.Healthy(now);
    }

    /// <summary>ENOSPC as .NET reports it on Linux (errno 28) and on Windows (ERROR_DISK_FULL, ERROR_HANDLE_DISK_FULL).</summary>
    private static bool IsDiskFull(Exception error)
    {
        for (var current = error; current is not null; current = current.InnerException)
        {
            if (current is IOException io
                && (io.HResult is 28 or unchecked((int)0x80070070) or unchecked((int)0x80070027)
                    || io.Message.Contains("No space left on device", StringComparison.OrdinalIgnoreCase)))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>A chunk taken from the pending queue whose commit has not been confirmed yet.</summary>
    private sealed record Unconfirmed(string Token, List<DeviceReading> Readings, List<DeviceEvent> Events)
    {
        public int Count => Readings.Count + Events.Count;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Outbox {Path} stream {Stream}: {Depth} records waiting, last sequence number {LastSeq}, {Quarantined} quarantined, {Dropped} dropped")]
    private static partial void LogOpened(ILogger logger, string path, string stream, long depth, long lastSeq, long quarantined, long dropped);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Committed {Stream} {FirstSeq}..{LastSeq}")]
    private static partial void LogCommitted(ILogger logger, string stream, long firstSeq, long lastSeq);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The outbox is full ({MaxRecords} records or {MaxMegabytes} MiB): dropping the oldest records to make room, routine telemetry first; first drop {Stream} {FirstSeq}..{LastSeq}")]
    private static partial void LogOverflowStarted(ILogger logger, int maxRecords, int maxMegabytes, string stream, long firstSeq, long lastSeq);

    [LoggerMessage(Level = LogLevel.Information, Message = "The outbox has room again; {Dropped} records were dropped while it was full ({Ranges}), reported to the fleet")]
    private static partial void LogOverflowEnded(ILogger logger, long dropped, string ranges);

    [LoggerMessage(Level = LogLevel.Error, Message = "The outbox {Path} cannot store readings ({Condition}: {ErrorType} {Error}); keeping up to {Capacity} in memory and retrying")]
    private static partial void LogWriteFailed(ILogger logger, string path, StorageCondition condition, string errorType, string error, int capacity);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The outbox's memory queue is full ({Capacity}): dropping the oldest {Stream} records while the disk refuses writes")]
    private static partial void LogMemoryQueueFull(ILogger logger, int capacity, string stream);

    [LoggerMessage(Level = LogLevel.Information, Message = "The outbox {Path} stores readings again after {Duration}; {Lost} records were lost from the memory queue")]
    private static partial void LogRecovered(ILogger logger, string path, TimeSpan duration, long lost);

    [LoggerMessage(Level = LogLevel.Information, Message = "A commit of {Count} records that reported a failure had reached the outbox; not storing it again")]
    private static partial void LogCommittedBeforeFailure(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Cannot read the outbox {Path} status on start: {Error}")]
    private static partial void LogStatusUnreadable(ILogger logger, string path, string error);

    [LoggerMessage(Level = LogLevel.Error, Message = "Refused a reading of {DeviceId} for stream '{Stream}'; readings go to telemetry or billing")]
    private static partial void LogUnknownStream(ILogger logger, string deviceId, string stream);

    [LoggerMessage(Level = LogLevel.Error, Message = "Shutting down with {Count} readings and events the outbox could not store: {Error}")]
    private static partial void LogLostOnShutdown(ILogger logger, int count, string error);
}
