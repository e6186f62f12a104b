using System.Globalization;

namespace CivicEdge.Fleet.Cli.Ledger;

/// <summary>Durations as people type them: <c>90s</c>, <c>15m</c>, <c>8h</c>, <c>2d</c>, or <c>hh:mm:ss</c>.</summary>
public static class CliDuration
{
    public static bool TryParse(string? text, out TimeSpan duration)
    {
        duration = TimeSpan.Zero;
        if (string.IsNullOrWhiteSpace(text))
            return false;

        text = text.Trim();
        var unit = text[^1];
        var number = text[..^1];
        if (unit is 's' or 'm' or 'h' or 'd'
            && double.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value)
            && value >= 0)
        {
            duration = unit switch
            {
                's' => TimeSpan.FromSeconds(value),
                'm' => TimeSpan.FromMinutes(value),
                'h' => TimeSpan.FromHours(value),
                _ => TimeSpan.FromDays(value),
            };
            return true;
        }

        return TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out duration) && duration >= TimeSpan.Zero;
    }
}
