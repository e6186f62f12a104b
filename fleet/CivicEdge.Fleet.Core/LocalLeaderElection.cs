using System.Collections.Concurrent;

namespace CivicEdge.Fleet.Core;

/// <summary>
/// Leader election for a single fleet node (the embedded LiteDB store cannot be shared): this node leads every job, one
/// holder per job at a time, and never loses a leadership it holds.
/// </summary>
public sealed class LocalLeaderElection : ILeaderElection
{
    private readonly ConcurrentDictionary<string, Leadership> _held = new(StringComparer.Ordinal);

    public Task<ILeadership?> TryLeadAsync(string job, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(job);
        cancellationToken.ThrowIfCancellationRequested();
        var leadership = new Leadership(this, job);
        return Task.FromResult<ILeadership?>(_held.TryAdd(job, leadership) ? leadership : null);
    }

    private sealed class Leadership(LocalLeaderElection election, string job) : ILeadership
    {
        public string Job => job;

        public CancellationToken Lost => CancellationToken.None;

        public ValueTask DisposeAsync()
        {
            election._held.TryRemove(new KeyValuePair<string, Leadership>(job, this));
            return ValueTask.CompletedTask;
        }
    }
}
