namespace CivicEdge.Gateway.Uplink;

/// <summary>
/// Exponential backoff with jitter: the ceiling doubles from <c>initial</c> up to <c>max</c> with every attempt, and
/// each wait is drawn between half the ceiling and the ceiling, so that gateways cut off together do not all
/// reconnect in the same instant when the broker comes back.
/// </summary>
public sealed class ReconnectBackoff
{
    // 2^30 × any positive initial delay already exceeds every sensible maximum; stop doubling there.
    private const int MaxDoublings = 30;

    private readonly TimeSpan _initial;
    private readonly TimeSpan _max;
    private readonly Random _random;
    private int _attempt;

    public ReconnectBackoff(TimeSpan initial, TimeSpan max, Random? random = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(initial, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(max, initial);
        _initial = initial;
        _max = max;
        _random = random ?? Random.Shared;
    }

    /// <summary>The wait before the next attempt.</summary>
    public TimeSpan Next()
    {
        var factor = Math.Pow(2, Math.Min(_attempt, MaxDoublings));
        var ceiling = TimeSpan.FromTicks((long)Math.Min(_max.Ticks, _initial.Ticks * factor));
        if (_attempt < MaxDoublings)
            _attempt++;
        return ceiling / 2 + ceiling / 2 * _random.NextDouble();
    }

    /// <summary>Starts again from the initial delay, after a connection succeeded.</summary>
    public void Reset() => _attempt = 0;
}
