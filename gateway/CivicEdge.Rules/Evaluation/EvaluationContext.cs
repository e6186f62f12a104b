using CivicEdge.Solar;

namespace CivicEdge.Rules.Evaluation;

/// <summary>
/// Everything a compiled expression reads, held in arrays indexed by integer slots that are fixed when the rule set is
/// compiled: evaluating allocates nothing and looks nothing up by name.
/// </summary>
internal sealed class EvaluationContext
{
    /// <summary>Marks a point that has never changed.</summary>
    public const long Never = long.MinValue;

    private readonly SolarCalculator _sun;
    private long _daylightValidUntil = long.MinValue;
    private long _daylightFrom;
    private bool _daylight;

    public EvaluationContext(int slots, SolarCalculator sun)
    {
        Values = new double[slots];
        ChangedAt = new long[slots];
        Windows = new SeriesWindow?[slots];
        Array.Fill(Values, double.NaN);
        Array.Fill(ChangedAt, Never);
        _sun = sun;
    }

    /// <summary>The latest value of each slot; NaN while unknown (never read, or the last reading was bad).</summary>
    public double[] Values { get; }

    /// <summary>When each slot's value last changed, in UTC ticks; <see cref="Never"/> before its first value.</summary>
    public long[] ChangedAt { get; }

    /// <summary>The recent readings of the slots a window function reads; null for the others.</summary>
    public SeriesWindow?[] Windows { get; }

    /// <summary>The time of the evaluation, in UTC ticks.</summary>
    public long Now { get; set; }

    /// <summary>
    /// The hysteresis of the rule being evaluated while it is active, else 0: an active rule's thresholds move back by this
    /// much so that a value hovering around a limit does not make the rule flap.
    /// </summary>
    public double Hysteresis { get; set; }

    /// <summary>Whether the sun is up at <see cref="Now"/> at the gateway's location, computed once per sunrise or sunset.</summary>
    public bool Daylight()
    {
        if (Now < _daylightFrom || Now >= _daylightValidUntil)
        {
            var now = new DateTimeOffset(Now, TimeSpan.Zero);
            var previous = _sun.Previous(SunEvent.Sunrise, now) is { } rise && _sun.Previous(SunEvent.Sunset, now) is { } set
                ? (Up: rise > set, Since: rise > set ? rise : set)
                : (Up: _sun.IsUp(now), Since: now);
            var next = Math.Min(
                _sun.Next(SunEvent.Sunrise, now)?.UtcTicks ?? long.MaxValue,
                _sun.Next(SunEvent.Sunset, now)?.UtcTicks ?? long.MaxValue);
            _daylight = previous.Up;
            _daylightFrom = previous.Since.UtcTicks;
            // In polar day or night there is no event to wait for: look again in an hour.
            _daylightValidUntil = next == long.MaxValue ? Now + TimeSpan.TicksPerHour : next;
        }
        return _daylight;
    }
}
