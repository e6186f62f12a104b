using System.Globalization;

namespace CivicEdge.Fleet.Server;

/// <summary>How long the fleet keeps what it stores (<c>Fleet:Retention</c>); empty keeps it for ever.</summary>
public sealed class RetentionOptions
{
    public const string Section = "Fleet:Retention";

    /// <summary>The form of every period, for messages.</summary>
    public const string ExpectedPeriod = "a period such as 400d, 36h or 90m (or 400.00:00:00), or empty to keep for ever";

    /// <summary>Telemetry samples older than this are removed, e.g. <c>400d</c>; empty keeps them for ever.</summary>
    public string Telemetry { get; set; } = string.Empty;

    /// <summary>Events older than this are removed, e.g. <c>800d</c>; empty keeps them for ever.</summary>
    public string Events { get; set; } = string.Empty;

    /// <summary>How often the leading node removes what has expired.</summary>
    public string Interval { get; set; } = "1h";

    /// <summary>Reads <c>400d</c>, <c>36h</c>, <c>90m</c>, <c>30s</c> or a time span (<c>400.00:00:00</c>); false for anything else.</summary>
    public static bool TryParsePeriod(string? text, out TimeSpan period)
    {
        period = TimeSpan.Zero;
        text = text?.Trim();
        if (string.IsNullOrEmpty(text))
            return false;

        var unit = text[^1] switch
        {
            'd' => TimeSpan.FromDays(1),
            'h' => TimeSpan.FromHours(1),
            'm' => TimeSpan.FromMinutes(1),
            's' => TimeSpan.FromSeconds(1),
            _ => TimeSpan.Zero,
        };
        if (unit != TimeSpan.Zero)
        {
            if (!int.TryParse(text.AsSpan(0, text.Length - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var count) || count == 0)
                return false;
            period = unit * count;
            return true;
        }

        return TimeSpan.TryParseExact(text, "c", CultureInfo.InvariantCulture, out period) && period > TimeSpan.Zero;
    }

    /// <summary>The telemetry period, or null to keep telemetry for ever. Valid only after validation.</summary>
    public TimeSpan? TelemetryPeriod => TryParsePeriod(Telemetry, out var period) ? period : null;

    /// <summary>The events period, or null to keep events for ever. Valid only after validation.</summary>
    public TimeSpan? EventsPeriod => TryParsePeriod(Events, out var period) ? period : null;

    /// <summary>The interval between purges. Valid only after validation.</summary>
    public TimeSpan IntervalPeriod => TryParsePeriod(Interval, out var period) ? period : TimeSpan.FromHours(1);
}
