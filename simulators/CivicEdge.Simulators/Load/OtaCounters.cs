namespace CivicEdge.Simulators.Load;

/// <summary>What the gateways of a run did with OTA offers, counted without locks.</summary>
internal sealed class OtaCounters
{
    private long _offers;
    private long _repeats;
    private long _reports;
    private long _downloads;
    private long _downloadedBytes;
    private long _fedBytes;
    private long _confirmed;
    private long _rolledBack;
    private long _failed;

    public void Offered() => Interlocked.Increment(ref _offers);

    public void Repeated() => Interlocked.Increment(ref _repeats);

    public void Reported() => Interlocked.Increment(ref _reports);

    public void Downloaded(long bytes)
    {
        Interlocked.Increment(ref _downloads);
        Interlocked.Add(ref _downloadedBytes, bytes);
    }

    public void Fed(long bytes) => Interlocked.Add(ref _fedBytes, bytes);

    public void Confirmed() => Interlocked.Increment(ref _confirmed);

    public void RolledBack() => Interlocked.Increment(ref _rolledBack);

    public void Failed() => Interlocked.Increment(ref _failed);

    public OtaLoadFigures Read(IReadOnlyDictionary<string, int> versions) => new(
        Interlocked.Read(ref _offers),
        Interlocked.Read(ref _repeats),
        Interlocked.Read(ref _reports),
        Interlocked.Read(ref _downloads),
        Interlocked.Read(ref _downloadedBytes),
        Interlocked.Read(ref _fedBytes),
        Interlocked.Read(ref _confirmed),
        Interlocked.Read(ref _rolledBack),
        Interlocked.Read(ref _failed),
        versions);
}
