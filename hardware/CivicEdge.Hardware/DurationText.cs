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
}
