using CivicEdge.Fleet.Core;

namespace CivicEdge.Fleet.Server;

/// <summary>A telemetry query as the REST API reads it from its query string, checked and with its defaults applied.</summary>
/// <param name="From">Start of the window, inclusive.</param>
/// <param name="To">End of the window, inclusive.</param>
/// <param name="Interval">The interval as written (<c>raw</c>, <c>1m</c>, …).</param>
/// <param name="Width">The bucket width; null for raw samples.</param>
/// <param name="Aggregates">What each bucket carries.</param>
/// <param name="AggregateNames">The aggregates as asked for, in the order asked, for the answer and export columns.</param>
/// <param name="Points">The points asked for, or null for all.</param>
/// <param name="Limit">Raw samples per point at most.</param>
internal sealed record TelemetryQuery(
    DateTimeOffset From,
    DateTimeOffset To,
    string Interval,
    TimeSpan? Width,
    TelemetryAggregates Aggregates,
    IReadOnlyList<string> AggregateNames,
    IReadOnlyCollection<string>? Points,
    int Limit)
{
    public const string Raw = "raw";
    public const string ExpectedInterval = "raw, 1m, 15m, 1h or 1d";
    public const string ExpectedAggregates = "a comma-separated list of min, max, avg, last, count";

    /// <summary>The most buckets per point one query may ask for.</summary>
    public const int MaxBuckets = 10_000;

    /// <summary>The bucket widths, and the window a query of that width covers when it gives no <c>from</c>.</summary>
    private static readonly Dictionary<string, (TimeSpan Width, TimeSpan DefaultWindow)> Widths = new(StringComparer.Ordinal)
    {
        ["1m"] = (TimeSpan.FromMinutes(1), TimeSpan.FromHours(1)),
        ["15m"] = (TimeSpan.FromMinutes(15), TimeSpan.FromDays(1)),
        ["1h"] = (TimeSpan.FromHours(1), TimeSpan.FromDays(1)),
        ["1d"] = (TimeSpan.FromDays(1), TimeSpan.FromDays(30)),
    };

    private static readonly Dictionary<string, TelemetryAggregates> AggregateFlags = new(StringComparer.Ordinal)
    {
        ["count"] = TelemetryAggregates.Count,
        ["min"] = TelemetryAggregates.Min,
        ["max"] = TelemetryAggregates.Max,
        ["avg"] = TelemetryAggregates.Avg,
        ["last"] = TelemetryAggregates.Last,
    };

    /// <summary>
    /// Reads the query parameters as given (null when absent): <c>from</c> and <c>to</c> (ISO 8601), <c>limit</c> (raw
    /// samples per point), <c>interval</c>, <c>aggregate</c> and <c>points</c>. Each problem goes into
    /// <c>problems</c> under its parameter's name; <c>now</c> is the default end; <c>rawWindow</c> the window of a raw
    /// query that gives no <c>from</c>.
    /// </summary>
    public static TelemetryQuery Parse(
        string? from,
        string? to,
        string? limit,
        string? interval,
        string? aggregate,
        string? points,
        DateTimeOffset now,
        TimeSpan rawWindow,
        Dictionary<string, string[]> problems)
    {
        var name = string.IsNullOrEmpty(interval) ? Raw : interval;
        TimeSpan? width = null;
        var window = rawWindow;
        if (name != Raw)
        {
            if (Widths.TryGetValue(name, out var known))
                (width, window) = (known.Width, known.DefaultWindow);
            else
                problems["interval"] = [$"interval: expected {ExpectedInterval}, found '{interval}'"];
        }

        var (flags, names) = ParseAggregates(aggregate, width is not null || name != Raw, problems);
        var toTime = DeviceEndpoints.ParseTime("to", to, problems) ?? now;
        var fromTime = DeviceEndpoints.ParseTime("from", from, problems) ?? toTime - window;
        var maxSamples = DeviceEndpoints.ParseLimit(limit, problems);
        if (!problems.ContainsKey("from") && !problems.ContainsKey("to") && fromTime > toTime)
            problems["to"] = [$"to: expected a time not before from ({fromTime:O}), found {toTime:O}"];
        else if (width is { } w && (toTime - fromTime).Ticks / w.Ticks >= MaxBuckets)
        {
            problems["from"] =
            [
                $"from: expected a window of at most {MaxBuckets} intervals of {name}, found {fromTime:O} to {toTime:O} ({(toTime - fromTime).Ticks / w.Ticks + 1} intervals); narrow the window or choose a longer interval",
            ];
        }

        return new TelemetryQuery(fromTime, toTime, name, width, flags, names, ParseList(points, "points", "point names", problems), maxSamples);
    }

    /// <summary>The query for one device's aggregates; valid only when <see cref="Width"/> is set.</summary>
    public AggregateQuery ForDevice(string deviceId) =>
        new(deviceId, Points, From, To, Width ?? throw new InvalidOperationException("A raw query has no buckets."), Aggregates);

    /// <summary>A comma-separated list of names, or null when the parameter is absent.</summary>
    public static IReadOnlyList<string>? ParseList(string? text, string parameter, string what, Dictionary<string, string[]> problems)
    {
        if (text is null)
            return null;

        var items = text.Split(',', StringSplitOptions.TrimEntries).ToList();
        if (items.Count == 0 || items.Any(item => item.Length == 0))
        {
            problems[parameter] = [$"{parameter}: expected a comma-separated list of {what}, found '{text}'"];
            return null;
        }

        return items.Distinct(StringComparer.Ordinal).ToList();
    }

    private static (TelemetryAggregates Flags, IReadOnlyList<string> Names) ParseAggregates(string? text, bool bucketed, Dictionary<string, string[]> problems)
    {
        if (text is null)
            return bucketed ? (TelemetryAggregates.All, ["count", "min", "max", "avg", "last"]) : (TelemetryAggregates.None, []);

        if (!bucketed)
        {
            problems["aggregate"] = [$"aggregate: applies to an interval other than raw (interval=15m&aggregate={text}), found it with raw samples"];
            return (TelemetryAggregates.None, []);
        }

        var names = text.Split(',', StringSplitOptions.TrimEntries).Distinct(StringComparer.Ordinal).ToList();
        var flags = TelemetryAggregates.None;
        foreach (var name in names)
        {
            if (!AggregateFlags.TryGetValue(name, out var flag))
            {
                problems["aggregate"] = [$"aggregate: expected {ExpectedAggregates}, found '{text}'"];
                return (TelemetryAggregates.All, []);
            }

            flags |= flag;
        }

        return (flags, names);
    }
}
