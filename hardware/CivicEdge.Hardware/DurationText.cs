using System.Globalization;

namespace CivicEdge.Hardware;

/// <summary>
/// Durations as people write them in profiles and on command lines: a whole number followed by
/// <c>ms</c>, <c>s</c>, <c>m</c> or <c>h</c>, e.g. <c>500ms</c>, <c>5s</c>, <c>1m</c>, <c>1h</c>.
/// </summary>
public static class DurationText
{
    /// <summary>The accepted form, for error messages.</summary>
    public const string Expected = "a whole number followed by ms, s, m or h (e.g. 500ms, 5s, 1m, 1h)";

    public static bool TryParse(string? text, out TimeSpan duration)
    {
        duration = default;
        if (string.IsNullOrEmpty(text))
            return false;

        var digits = 0;
        while (digits < text.Length && char.IsAsciiDigit(text[digits]))
            digits++;
        if (digits == 0 || !long.TryParse(text.AsSpan(0, digits), NumberStyles.None, CultureInfo.InvariantCulture, out var count))
            return false;

        var ticksPerUnit = text.AsSpan(digits) switch
        {
            "ms" => TimeSpan.TicksPerMillisecond,
            "s" => TimeSpan.TicksPerSecond,
            "m" => TimeSpan.TicksPerMinute,
            "h" => TimeSpan.TicksPerHour,
            _ => 0,
        };
        if (ticksPerUnit == 0 || count > TimeSpan.MaxValue.Ticks / ticksPerUnit)
            return false;

        duration = TimeSpan.FromTicks(count * ticksPerUnit);
        return true;
    }

    /// <summary>Writes <paramref name="duration"/> in the same form, in the largest unit that keeps it whole (<c>90s</c>, <c>5m</c>).</summary>
    public static string Format(TimeSpan duration)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(duration, TimeSpan.Zero);
        var ticks = duration.Ticks;
        if (ticks % TimeSpan.TicksPerMillisecond != 0)
            throw new ArgumentException($"{duration} is not a whole number of milliseconds.", nameof(duration));
        if (ticks != 0 && ticks % TimeSpan.TicksPerHour == 0)
            return FormattableString.Invariant($"{ticks / TimeSpan.TicksPerHour}h");
        if (ticks != 0 && ticks % TimeSpan.TicksPerMinute == 0)
            return FormattableString.Invariant($"{ticks / TimeSpan.TicksPerMinute}m");
        if (ticks % TimeSpan.TicksPerSecond == 0)
            return FormattableString.Invariant($"{ticks / TimeSpan.TicksPerSecond}s");
        return FormattableString.Invariant($"{ticks / TimeSpan.TicksPerMillisecond}ms");
    }
}
