using CivicEdge.Fleet.Contracts;

namespace CivicEdge.Fleet.Core;

/// <summary>
/// Aggregates one point's samples into buckets in one pass, for stores that cannot aggregate in their query language.
/// Samples may come in any order; only those of quality good or out-of-range count (see <see cref="TelemetryBucket"/>).
/// </summary>
public sealed class BucketAccumulator
{
    private readonly AggregateQuery _query;
    private readonly SortedDictionary<long, Bucket> _buckets = [];

    public BucketAccumulator(AggregateQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        _query = query;
    }

    /// <summary>True when no sample has counted yet.</summary>
    public bool IsEmpty => _buckets.Count == 0;

    /// <summary>Counts one sample, unless its quality says it repeats an older value.</summary>
    public void Add(DateTimeOffset timestamp, double value, Quality quality)
    {
        if (!Counts(quality))
            return;

        var start = _query.BucketOf(timestamp).UtcTicks;
        if (!_buckets.TryGetValue(start, out var bucket))
        {
            bucket = new Bucket { Min = value, Max = value, LastTicks = long.MinValue };
            _buckets.Add(start, bucket);
        }

        bucket.Count++;
        bucket.Sum += value;
        bucket.Min = Math.Min(bucket.Min, value);
        bucket.Max = Math.Max(bucket.Max, value);
        if (timestamp.UtcTicks >= bucket.LastTicks)
        {
            bucket.LastTicks = timestamp.UtcTicks;
            bucket.Last = value;
        }
    }

    /// <summary>The buckets so far, oldest first, with the aggregates the query asked for.</summary>
    public IReadOnlyList<TelemetryBucket> ToBuckets()
    {
        var wanted = _query.Aggregates;
        return _buckets.Select(entry => new TelemetryBucket(
                new DateTimeOffset(entry.Key, TimeSpan.Zero),
                wanted.HasFlag(TelemetryAggregates.Count) ? entry.Value.Count : null,
                wanted.HasFlag(TelemetryAggregates.Min) ? entry.Value.Min : null,
                wanted.HasFlag(TelemetryAggregates.Max) ? entry.Value.Max : null,
                wanted.HasFlag(TelemetryAggregates.Avg) ? entry.Value.Sum / entry.Value.Count : null,
                wanted.HasFlag(TelemetryAggregates.Last) ? entry.Value.Last : null))
            .ToList();
    }

    /// <summary>Stale and comm-error samples repeat the last value read; they would weigh it twice.</summary>
    public static bool Counts(Quality quality) => quality is Quality.Good or Quality.OutOfRange;

    private sealed class Bucket
    {
        public long Count;
        public double Sum;
        public double Min;
        public double Max;
        public double Last;
        public long LastTicks;
    }
}
