using System.Text;

namespace CivicEdge.Gateway.Metrics;

/// <summary>
/// Names of metrics and labels in the Prometheus text exposition format, made from OpenTelemetry-style instrument names
/// and units as the OpenTelemetry "Prometheus and OpenMetrics compatibility" specification makes them: invalid
/// characters become <c>_</c>, the unit is appended (<c>s</c> as <c>seconds</c>, <c>By</c> as <c>bytes</c>, annotations
/// such as <c>{record}</c> dropped), and a counter ends in <c>_total</c>.
/// </summary>
public static class PrometheusName
{
    /// <summary>The metric name of an instrument.</summary>
    /// <param name="instrument">E.g. <c>civicedge.outbox.oldest_age</c>.</param>
    /// <param name="unit">UCUM unit, e.g. <c>s</c>; null for none.</param>
    /// <param name="isCounter">True for a monotonic sum.</param>
    public static string Metric(string instrument, string? unit, bool isCounter)
    {
        ArgumentException.ThrowIfNullOrEmpty(instrument);
        var name = Sanitize(instrument, allowColon: true);
        if (UnitWord(unit, isCounter) is { } word && !name.EndsWith("_" + word, StringComparison.Ordinal))
            name += "_" + word;
        if (isCounter && !name.EndsWith("_total", StringComparison.Ordinal))
            name += "_total";
        return name;
    }

    /// <summary>A label name: <c>cpu.mode</c> becomes <c>cpu_mode</c>; names starting with <c>__</c> are reserved, so get a prefix.</summary>
    public static string Label(string key)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        var name = Sanitize(key, allowColon: false);
        return name.StartsWith("__", StringComparison.Ordinal) ? "key" + name : name;
    }

    private static string? UnitWord(string? unit, bool isCounter) => unit switch
    {
        null or "" => null,
        "1" => isCounter ? null : "ratio",
        "s" => "seconds",
        "ms" => "milliseconds",
        "By" => "bytes",
        "KiBy" => "kibibytes",
        "MiBy" => "mebibytes",
        "%" => "percent",
        _ when unit.StartsWith('{') => null,
        _ => Sanitize(unit, allowColon: false),
    };

    /// <summary>Keeps <c>[a-zA-Z0-9_]</c> (and <c>:</c> in metric names), turns runs of anything else into one <c>_</c>, and never starts with a digit.</summary>
    private static string Sanitize(string text, bool allowColon)
    {
        var name = new StringBuilder(text.Length + 1);
        foreach (var c in text)
        {
            var valid = char.IsAsciiLetterOrDigit(c) || c == '_' || (allowColon && c == ':');
            if (valid)
                name.Append(c);
            else if (name.Length == 0 || name[^1] != '_')
                name.Append('_');
        }

        if (name.Length == 0 || char.IsAsciiDigit(name[0]))
            name.Insert(0, '_');
        return name.ToString();
    }
}
