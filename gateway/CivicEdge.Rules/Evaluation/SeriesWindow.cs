namespace CivicEdge.Rules.Evaluation;

/// <summary>
/// The recent readings of one point, in a ring buffer of fixed size allocated once. Readings are reported by exception
/// (a value holds until the next one), so window functions treat the series as sample-and-hold: the reading before a
/// window's start counts for the part of the window it covers.
/// </summary>
internal sealed class SeriesWindow
{
    private readonly long[] _times;
    private readonly double[] _values;
    private int _start;
    private int _count;

    public SeriesWindow(int capacity, long spanTicks)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 2);
        _times = new long[capacity];
        _values = new double[capacity];
        SpanTicks = spanTicks;
    }

    /// <summary>The longest window any expression asks of this series.</summary>
    public long SpanTicks { get; set; }

    public int Count => _count;

    /// <summary>
    /// Adds a reading; false (and nothing added) when it is older than the newest one. <paramref name="overflowed"/> says
    /// that the buffer was full and the oldest reading still in the window was dropped.
    /// </summary>
    public bool Add(long ticks, double value, out bool overflowed)
    {
        overflowed = false;
        if (_count > 0 && ticks < TimeAt(_count - 1))
            return false;
        var horizon = ticks - SpanTicks;
        // Keep one reading at or before the horizon: its value holds into the window.
        while (_count >= 2 && TimeAt(1) <= horizon)
            Drop();
        if (_count == _times.Length)
        {
            Drop();
            overflowed = true;
        }
        var at = (_start + _count) % _times.Length;
        _times[at] = ticks;
        _values[at] = value;
        _count++;
        return true;
    }

    /// <summary>Time-weighted mean over the window ending at <paramref name="now"/>; NaN with no reading.</summary>
    public double Average(long now, long window)
    {
        if (_count == 0)
            return double.NaN;
        var from = now - window;
        double sum = 0;
        long covered = 0;
        for (var i = 0; i < _count; i++)
        {
            var begin = Math.Max(TimeAt(i), from);
            var end = i + 1 < _count ? Math.Min(TimeAt(i + 1), now) : now;
            if (end <= begin)
                continue;
            sum += ValueAt(i) * (end - begin);
            covered += end - begin;
        }
        return covered == 0 ? ValueAt(_count - 1) : sum / covered;
    }

    /// <summary>Change per second between the value held at the window's start (or the first reading) and the latest.</summary>
    public double Rate(long now, long window)
    {
        if (_count == 0)
            return double.NaN;
        var from = now - window;
        var first = 0;
        for (var i = 1; i < _count && TimeAt(i) <= from; i++)
            first = i;
        var since = Math.Max(TimeAt(first), from);
        var elapsed = now - since;
        if (elapsed <= 0)
            return double.NaN;
        return (ValueAt(_count - 1) - ValueAt(first)) / elapsed * TimeSpan.TicksPerSecond;
    }

    /// <summary>The least (or greatest) value held at any time in the window; NaN with no reading.</summary>
    public double Extreme(long now, long window, bool greatest)
    {
        if (_count == 0)
            return double.NaN;
        var from = now - window;
        var result = double.NaN;
        for (var i = 0; i < _count; i++)
        {
            var end = i + 1 < _count ? TimeAt(i + 1) : long.MaxValue;
            if (end <= from && i + 1 < _count)
                continue;
            var value = ValueAt(i);
            if (double.IsNaN(result) || (greatest ? value > result : value < result))
                result = value;
        }
        return result;
    }

    private long TimeAt(int i) => _times[(_start + i) % _times.Length];

    private double ValueAt(int i) => _values[(_start + i) % _values.Length];

    private void Drop()
    {
        _start = (_start + 1) % _times.Length;
        _count--;
    }
}
