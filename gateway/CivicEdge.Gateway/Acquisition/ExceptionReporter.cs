using CivicEdge.Fleet.Contracts;

namespace CivicEdge.Gateway.Acquisition;

/// <summary>
/// Report by exception: decides which points of a poll are worth sending. A point is reported the first time it has a
/// value; when its quality changes; when a value read in this poll has moved by more than the point's deadband from the
/// value last reported (so a slow drift is reported once it adds up); and when the point's maximum silence has passed
/// since it was last reported, even if it has not moved. A value repeated because it could not be read (stale,
/// comm-error) is reported when its quality changes and not again: repeating it would tell the fleet nothing new.
/// </summary>
public sealed class ExceptionReporter
{
    private readonly IReadOnlyList<double> _deadbands;
    private readonly IReadOnlyList<TimeSpan?> _maxSilences;
    private readonly Reported?[] _reported;

    /// <param name="deadbands">Per point, in profile order: how far a value must move to be reported; 0 reports every change.</param>
    /// <param name="maxSilences">Per point: the longest it may go unreported while it is read; null for no limit.</param>
    public ExceptionReporter(IReadOnlyList<double> deadbands, IReadOnlyList<TimeSpan?> maxSilences)
    {
        ArgumentNullException.ThrowIfNull(deadbands);
        ArgumentNullException.ThrowIfNull(maxSilences);
        if (deadbands.Count != maxSilences.Count)
            throw new ArgumentException($"Expected a maximum silence for each of the {deadbands.Count} points; found {maxSilences.Count}.", nameof(maxSilences));
        _deadbands = deadbands;
        _maxSilences = maxSilences;
        _reported = new Reported?[deadbands.Count];
    }

    /// <summary>
    /// Chooses the points of one poll to report and remembers them as reported at <paramref name="now"/>.
    /// </summary>
    /// <param name="values">Per point, in profile order: its value and quality this poll, or null when it has none.</param>
    /// <param name="now">When the poll was made.</param>
    /// <returns>The indexes of the points to report, in profile order; empty when there is nothing new.</returns>
    public IReadOnlyList<int> Select(IReadOnlyList<PointValue?> values, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Count != _reported.Length)
            throw new ArgumentException($"Expected {_reported.Length} values, one per point; found {values.Count}.", nameof(values));

        List<int>? chosen = null;
        for (var i = 0; i < values.Count; i++)
        {
            if (values[i] is not { } value || !IsDue(i, value, now))
                continue;
            _reported[i] = new Reported(value.Value, value.Quality, now);
            (chosen ??= []).Add(i);
        }
        return chosen ?? (IReadOnlyList<int>)[];
    }

    private bool IsDue(int point, PointValue value, DateTimeOffset now)
    {
        if (_reported[point] is not { } last || last.Quality != value.Quality)
            return true;
        if (value.Quality is Quality.Stale or Quality.CommError)
            return false;
        if (Math.Abs(value.Value - last.Value) > _deadbands[point])
            return true;
        return _maxSilences[point] is { } silence && now - last.At >= silence;
    }

    private readonly record struct Reported(double Value, Quality Quality, DateTimeOffset At);
}
