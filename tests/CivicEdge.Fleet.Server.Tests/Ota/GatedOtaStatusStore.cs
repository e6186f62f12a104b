using System.Collections.Concurrent;
using CivicEdge.Fleet.Contracts.Ota;
using CivicEdge.Fleet.Core.Ota;

namespace CivicEdge.Fleet.Server.Tests.Ota;

/// <summary>
/// An <see cref="IOtaStatusStore"/> whose appends wait at a gate until the test opens it, as appends wait for a
/// commit, and which records what it has stored in the order it was appended.
/// </summary>
internal sealed class GatedOtaStatusStore : IOtaStatusStore
{
    private readonly TaskCompletionSource _gate = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ConcurrentQueue<(string Source, long Sequence)> _stored = new();
    private int _waiting;

    /// <summary>Appends waiting at the gate now.</summary>
    public int Waiting => Volatile.Read(ref _waiting);

    /// <summary>Reports stored, in the order their appends completed.</summary>
    public IReadOnlyList<(string Source, long Sequence)> Stored => [.. _stored];

    public bool Contains(string source, long sequence) => _stored.Contains((source, sequence));

    public void Open() => _gate.TrySetResult();

    public async Task<bool> TryAppendOtaStatusAsync(string source, OtaStatusReport report, DateTimeOffset receivedAt, int capacity, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _waiting);
        try
        {
            await _gate.Task.WaitAsync(cancellationToken);
        }
        finally
        {
            Interlocked.Decrement(ref _waiting);
        }
        if (_stored.Count >= capacity)
            return false;
        _stored.Enqueue((source, report.Sequence));
        return true;
    }

    public Task<IReadOnlyList<PendingOtaStatus>> ReadPendingOtaStatusAsync(int limit, CancellationToken cancellationToken) =>
        throw new NotSupportedException("The ingest only appends.");

    public Task<long> CountPendingOtaStatusAsync(CancellationToken cancellationToken) => Task.FromResult((long)_stored.Count);

    public Task DeleteOtaStatusAsync(IReadOnlyCollection<long> ids, CancellationToken cancellationToken) =>
        throw new NotSupportedException("The ingest only appends.");
}
