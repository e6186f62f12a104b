using CivicEdge.Fleet.Contracts.Ota;
using CivicEdge.Fleet.Core.Ota;

namespace CivicEdge.Fleet.Core.Tests.Ota;

/// <summary>The status store's contract in memory: numbered in the order appended, bounded by the capacity given.</summary>
internal sealed class InMemoryOtaStatusStore : IOtaStatusStore
{
    private readonly SortedDictionary<long, PendingOtaStatus> _pending = [];
    private long _lastId;

    public int Count => _pending.Count;

    public Task<bool> TryAppendOtaStatusAsync(string source, OtaStatusReport report, DateTimeOffset receivedAt, int capacity, CancellationToken cancellationToken)
    {
        if (_pending.Count >= capacity)
            return Task.FromResult(false);
        _lastId++;
        _pending.Add(_lastId, new PendingOtaStatus(_lastId, source, report, receivedAt));
        return Task.FromResult(true);
    }

    public Task<IReadOnlyList<PendingOtaStatus>> ReadPendingOtaStatusAsync(int limit, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<PendingOtaStatus>>(_pending.Values.Take(limit).ToList());

    public Task<long> CountPendingOtaStatusAsync(CancellationToken cancellationToken) => Task.FromResult((long)_pending.Count);

    public Task DeleteOtaStatusAsync(IReadOnlyCollection<long> ids, CancellationToken cancellationToken)
    {
        foreach (var id in ids)
            _pending.Remove(id);
        return Task.CompletedTask;
    }
}
