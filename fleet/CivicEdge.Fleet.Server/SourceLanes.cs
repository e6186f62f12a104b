using System.Threading.Channels;

namespace CivicEdge.Fleet.Server;

/// <summary>
/// Runs work in order per source and different sources at once: each source is hashed to one of a fixed number of
/// lanes, each lane runs its work one item after another. The order of a source's batches, which deduplication by
/// sequence number relies on, is kept; batches of other sources are parsed, stored and acknowledged meanwhile, so
/// that one store commit no longer waits for the previous one (and stores that write queued batches together can).
/// </summary>
internal sealed partial class SourceLanes : IAsyncDisposable
{
    private readonly Channel<Func<Task>>[] _lanes;
    private readonly Task[] _workers;
    private readonly ILogger _logger;

    /// <param name="lanes">How many sources are served at once.</param>
    /// <param name="capacity">Work items a lane holds before <see cref="EnqueueAsync"/> waits, which slows the broker's delivery.</param>
    /// <param name="logger">Where a work item's unexpected failure is reported.</param>
    public SourceLanes(int lanes, int capacity, ILogger logger)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(lanes, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _logger = logger;
        _lanes = [.. Enumerable.Range(0, lanes).Select(_ => Channel.CreateBounded<Func<Task>>(new BoundedChannelOptions(capacity)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        }))];
        _workers = [.. _lanes.Select(lane => Task.Run(() => RunAsync(lane.Reader)))];
    }

    /// <summary>Queues <paramref name="work"/> behind the work queued before for <paramref name="source"/>.</summary>
    public ValueTask EnqueueAsync(string source, Func<Task> work, CancellationToken cancellationToken) =>
        _lanes[(int)((uint)StringComparer.Ordinal.GetHashCode(source) % (uint)_lanes.Length)].Writer.WriteAsync(work, cancellationToken);

    /// <summary>Stops taking work; the lanes finish what they hold.</summary>
    public void Complete()
    {
        foreach (var lane in _lanes)
            lane.Writer.TryComplete();
    }

    /// <summary>Stops taking work and waits for the lanes to finish what they hold.</summary>
    public async ValueTask DisposeAsync()
    {
        Complete();
        await Task.WhenAll(_workers).ConfigureAwait(false);
    }

    private async Task RunAsync(ChannelReader<Func<Task>> lane)
    {
        await foreach (var work in lane.ReadAllAsync().ConfigureAwait(false))
        {
            try
            {
                await work().ConfigureAwait(false);
            }
            catch (Exception exception)
            {
                // Work reports its own failures; this is the last resort that keeps the lane serving its other sources.
                LogWorkFailed(_logger, exception);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Work in an ingest lane ended with an error")]
    private static partial void LogWorkFailed(ILogger logger, Exception exception);
}
