namespace CivicEdge.Simulators.Load;

/// <summary>What every simulated gateway of a run adds to, without locks.</summary>
internal sealed class LoadCounters
{
    private long _records;
    private long _points;
    private long _duplicates;
    private long _rejected;
    private long _resent;

    public AckLatencies Latencies { get; } = new();

    public long Records => Interlocked.Read(ref _records);

    public long Points => Interlocked.Read(ref _points);

    public long Duplicates => Interlocked.Read(ref _duplicates);

    public long Rejected => Interlocked.Read(ref _rejected);

    public long Resent => Interlocked.Read(ref _resent);

    public void Persisted(int stored, int duplicates, int pointsPerRecord, TimeSpan latency)
    {
        Interlocked.Add(ref _records, stored);
        Interlocked.Add(ref _points, (long)stored * pointsPerRecord);
        Interlocked.Add(ref _duplicates, duplicates);
        Latencies.Record(latency);
    }

    public void Refused() => Interlocked.Increment(ref _rejected);

    public void SentAgain() => Interlocked.Increment(ref _resent);

    /// <summary>Starts counting afresh, e.g. at the end of the warm-up.</summary>
    public void Clear()
    {
        Interlocked.Exchange(ref _records, 0);
        Interlocked.Exchange(ref _points, 0);
        Interlocked.Exchange(ref _duplicates, 0);
        Interlocked.Exchange(ref _rejected, 0);
        Interlocked.Exchange(ref _resent, 0);
        Latencies.Clear();
    }
}
