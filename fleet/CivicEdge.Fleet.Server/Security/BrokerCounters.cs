using System.Collections.Concurrent;

namespace CivicEdge.Fleet.Server.Security;

/// <summary>What the broker's guard refused and why, counted since the fleet started.</summary>
internal sealed class BrokerCounters
{
    private readonly ConcurrentDictionary<string, long> _connectionsRefused = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long> _publishesRefused = new(StringComparer.Ordinal);
    private long _connectionsAccepted;
    private long _subscriptionsRefused;
    private long _deliveriesRefused;
    private long _sessionsClosed;

    public long ConnectionsAccepted => Interlocked.Read(ref _connectionsAccepted);

    public long SubscriptionsRefused => Interlocked.Read(ref _subscriptionsRefused);

    public long DeliveriesRefused => Interlocked.Read(ref _deliveriesRefused);

    public long SessionsClosed => Interlocked.Read(ref _sessionsClosed);

    public IReadOnlyDictionary<string, long> ConnectionsRefused => Snapshot(_connectionsRefused);

    public IReadOnlyDictionary<string, long> PublishesRefused => Snapshot(_publishesRefused);

    public void ConnectionAccepted() => Interlocked.Increment(ref _connectionsAccepted);

    public void ConnectionRefused(string reason) => _connectionsRefused.AddOrUpdate(reason, 1, (_, count) => count + 1);

    public void PublishRefused(string reason) => _publishesRefused.AddOrUpdate(reason, 1, (_, count) => count + 1);

    public void SubscriptionRefused() => Interlocked.Increment(ref _subscriptionsRefused);

    public void DeliveryRefused() => Interlocked.Increment(ref _deliveriesRefused);

    public void SessionClosed() => Interlocked.Increment(ref _sessionsClosed);

    private static SortedDictionary<string, long> Snapshot(ConcurrentDictionary<string, long> counts) => new(counts, StringComparer.Ordinal);
}
