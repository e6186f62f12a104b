namespace CivicEdge.Fleet.Core;

/// <summary>What <see cref="ITelemetryHistory.AggregateAsync"/> computes: buckets of one device's points over a window.</summary>
/// <param name="DeviceId">The device.</param>
/// <param name="Points">The points to aggregate, or null for every point of the device.</param>
/// <param name="From">Start of the window, inclusive.</param>
/// <param name="To">End of the window, inclusive.</param>
/// <param name="Interval">
/// The bucket width, a whole number of seconds from one second to one day; buckets are aligned on multiples of it
/// since 1970-01-01T00:00Z, so a 1-day bucket is a UTC calendar day.
/// </param>
/// <param name="Aggregates">What each bucket carries; the others are left null.</param>
public sealed record AggregateQuery(
    string DeviceId,
    IReadOnlyCollection<string>? Points,
    DateTimeOffset From,
    DateTimeOffset To,
    TimeSpan Interval,
    TelemetryAggregates Aggregates)
{
    /// <summary>The widest bucket a store must support.</summary>
    public static readonly TimeSpan MaxInterval = TimeSpan.FromDays(1);

    /// <summary>Throws unless the query is one every store can answer.</summary>
    /// <exception cref="ArgumentException">A bound, the interval or the aggregates are out of range.</exception>
    public void Validate()
    {
        ArgumentException.ThrowIfNullOrEmpty(DeviceId, nameof(DeviceId));
        if (From > To)
            throw new ArgumentException($"The window must not end ({To:O}) before it starts ({From:O}).", nameof(To));
        if (Interval < TimeSpan.FromSeconds(1) || Interval > MaxInterval || Interval.Ticks % TimeSpan.TicksPerSecond != 0)
            throw new ArgumentOutOfRangeException(nameof(Interval), Interval, "Expected a whole number of seconds from 1 s to 1 day.");
        if (Aggregates == TelemetryAggregates.None || (Aggregates & ~TelemetryAggregates.All) != 0)
            throw new ArgumentOutOfRangeException(nameof(Aggregates), Aggregates, "Expected at least one of count, min, max, avg, last.");
    }

    /// <summary>The start of the bucket <paramref name="time"/> falls in.</summary>
    public DateTimeOffset BucketOf(DateTimeOffset time)
    {
        var ticks = time.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks;
        return DateTimeOffset.UnixEpoch.AddTicks(ticks - Mod(ticks, Interval.Ticks));

        static long Mod(long value, long divisor) => ((value % divisor) + divisor) % divisor;
    }
}
