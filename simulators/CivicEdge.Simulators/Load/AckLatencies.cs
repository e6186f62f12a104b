namespace CivicEdge.Simulators.Load;

/// <summary>
/// Acknowledgement times in 1 ms steps up to a minute (later ones count as a minute), counted without locks, so that
/// thousands of gateways can record into it at once; percentiles are read from the counts.
/// </summary>
internal sealed class AckLatencies
{
    private const int Slots = 60_000;
    private readonly long[] _counts = new long[Slots + 1];

    public void Record(TimeSpan latency) =>
        Interlocked.Increment(ref _counts[Math.Clamp((int)latency.TotalMilliseconds, 0, Slots)]);

    public void Clear()
    {
        for (var i = 0; i < _counts.Length; i++)
            Interlocked.Exchange(ref _counts[i], 0);
    }

    /// <summary>The latency below which <paramref name="share"/> of the acknowledgements came, in milliseconds; 0 when none came.</summary>
    public double Percentile(double share)
    {
        var counts = (long[])_counts.Clone();
        var total = counts.Sum();
        if (total == 0)
            return 0;

        var wanted = (long)Math.Ceiling(total * share);
        var seen = 0L;
        for (var i = 0; i < counts.Length; i++)
        {
            seen += counts[i];
            if (seen >= wanted)
                return i;
        }

        return Slots;
    }
}
