using System.Collections.Concurrent;

namespace CivicEdge.Fleet.Core;

/// <summary>
/// Keeps a failed store from turning into lost records. The fleet deduplicates by the highest sequence number stored
/// per (source, stream); when a source has several batches in flight and storing one fails, storing a later one would
/// raise that watermark over the failed records. After a failure, later batches of the stream are held back (not
/// stored, not acknowledged) until a batch starting at or before the failed one is stored.
/// </summary>
internal sealed class SequenceGuard
{
    private readonly ConcurrentDictionary<(string Source, string Stream), long> _failedAt = new();

    /// <summary>Throws <see cref="BatchHeldBackException"/> when a batch starting at <paramref name="firstSeq"/> must wait.</summary>
    public void Check(string sourceId, string stream, long firstSeq)
    {
        if (_failedAt.TryGetValue((sourceId, stream), out var failed) && firstSeq > failed)
            throw new BatchHeldBackException(sourceId, stream, firstSeq, failed);
    }

    /// <summary>Records that storing the batch starting at <paramref name="firstSeq"/> failed.</summary>
    public void Failed(string sourceId, string stream, long firstSeq) =>
        _failedAt.AddOrUpdate((sourceId, stream), firstSeq, (_, held) => Math.Min(held, firstSeq));

    /// <summary>Records that the batch starting at <paramref name="firstSeq"/> is stored; releases the stream if it covered the failure.</summary>
    public void Stored(string sourceId, string stream, long firstSeq)
    {
        if (_failedAt.TryGetValue((sourceId, stream), out var failed) && firstSeq <= failed)
            _failedAt.TryRemove(new KeyValuePair<(string, string), long>((sourceId, stream), failed));
    }
}
