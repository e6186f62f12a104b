namespace CivicEdge.Gateway.Uplink;

/// <summary>
/// A token bucket of records per second: full at the start (one second's worth), refilled continuously. Sending takes
/// as many tokens as the batch has records, so a long backlog drains at the configured pace however fast the broker
/// and the fleet answer.
/// </summary>
public sealed class RateBudget
{
    private readonly TimeProvider _timeProvider;
    private double _tokens;
    private long _refilledAt;

    public RateBudget(int recordsPerSecond, TimeProvider timeProvider)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(recordsPerSecond);
        ArgumentNullException.ThrowIfNull(timeProvider);
        RecordsPerSecond = recordsPerSecond;
        _timeProvider = timeProvider;
        _tokens = recordsPerSecond;
        _refilledAt = timeProvider.GetTimestamp();
    }

    public int RecordsPerSecond { get; }

    /// <summary>The most records one send can take: one second's worth.</summary>
    public int Capacity => RecordsPerSecond;

    /// <summary>Takes <paramref name="records"/> tokens when the bucket holds that many.</summary>
    public bool TryTake(int records)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(records);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(records, Capacity);
        Refill();
        if (_tokens < records)
            return false;
        _tokens -= records;
        return true;
    }

    /// <summary>How long until the bucket holds <paramref name="records"/> tokens.</summary>
    public TimeSpan TimeUntil(int records)
    {
        Refill();
        var missing = Math.Min(records, Capacity) - _tokens;
        return missing <= 0 ? TimeSpan.Zero : TimeSpan.FromSeconds(missing / RecordsPerSecond);
    }

    private void Refill()
    {
        var now = _timeProvider.GetTimestamp();
        var elapsed = _timeProvider.GetElapsedTime(_refilledAt, now);
        _refilledAt = now;
        _tokens = Math.Min(Capacity, _tokens + elapsed.TotalSeconds * RecordsPerSecond);
    }
}
