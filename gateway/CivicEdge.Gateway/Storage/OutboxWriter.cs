using System.Threading.Channels;
using CivicEdge.Fleet.Contracts;
using CivicEdge.Gateway.Acquisition;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CivicEdge.Gateway.Storage;

/// <summary>
/// Commits the pollers' readings to the <see cref="Outbox"/>, as many as are waiting in one transaction: each commit
/// costs an fsync, so a burst of readings from many devices shares one. On shutdown it commits whatever the pollers
/// produced before they stopped.
/// </summary>
public sealed partial class OutboxWriter(
    Outbox outbox,
    ChannelReader<DeviceReading> readings,
    ILogger<OutboxWriter> logger) : BackgroundService
{
    /// <summary>The most readings committed in one transaction.</summary>
    public const int MaxReadingsPerCommit = 500;

    /// <summary>The stream polled readings are numbered in.</summary>
    public const string Stream = Streams.Telemetry;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var status = outbox.Status(Stream);
        LogOpened(logger, outbox.Path, status.Depth, status.LastSeq, status.Quarantined);
        try
        {
            while (await readings.WaitToReadAsync(stoppingToken).ConfigureAwait(false))
                CommitWaiting();
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The pollers stop before this service (hosted services stop in reverse order), so what they produced is
            // already queued: commit it below.
        }

        CommitWaiting();
    }

    private void CommitWaiting()
    {
        var batch = new List<DeviceReading>();
        while (true)
        {
            batch.Clear();
            while (batch.Count < MaxReadingsPerCommit && readings.TryRead(out var reading))
                batch.Add(reading);
            if (batch.Count == 0)
                return;

            var range = outbox.Append(Stream, batch);
            LogCommitted(logger, batch.Count, Stream, range.First, range.Last);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Outbox {Path}: {Depth} records waiting, last sequence number {LastSeq}, {Quarantined} quarantined")]
    private static partial void LogOpened(ILogger logger, string path, long depth, long lastSeq, long quarantined);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Committed {Count} readings to {Stream} as {FirstSeq}..{LastSeq}")]
    private static partial void LogCommitted(ILogger logger, int count, string stream, long firstSeq, long lastSeq);
}
