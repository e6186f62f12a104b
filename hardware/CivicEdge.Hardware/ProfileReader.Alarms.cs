using System.Globalization;
using YamlDotNet.RepresentationModel;

namespace CivicEdge.Hardware;

/// <summary>The report-by-exception and alarm fields of a point: <c>deadband</c> and <c>alarms</c>.</summary>
internal sealed partial class ProfileReader
{
    private static readonly string[] LimitFields = ["value", "severity", "hysteresis", "delay", "message"];

    private static readonly (string Name, AlarmKind Value)[] AlarmKinds =
    [
        ("high", AlarmKind.High),
        ("highHigh", AlarmKind.HighHigh),
        ("low", AlarmKind.Low),
        ("lowLow", AlarmKind.LowLow),
        ("set", AlarmKind.Set),
    ];

    private static readonly (string Name, AlarmSeverity Value)[] Severities =
    [
        ("info", AlarmSeverity.Info),
        ("warning", AlarmSeverity.Warning),
        ("major", AlarmSeverity.Major),
        ("critical", AlarmSeverity.Critical),
    ];

    /// <summary>The limits of one side in the order their values must rise.</summary>
    private static readonly AlarmKind[] Ladder = [AlarmKind.LowLow, AlarmKind.Low, AlarmKind.High, AlarmKind.HighHigh];

    /// <summary>
    /// Reads <c>deadband</c>: an absolute amount in the point's unit (<c>0.5</c>) or a percentage of the point's range
    /// max − min (<c>1%</c>, the percent deadband of OPC DA §5.3.1.2), which needs both min and max. Returns it absolute.
    /// </summary>
    private double ReadDeadband(Dictionary<string, YamlNode> fields, string path, double? min, double? max, string? unit)
    {
        var field = $"{path}.deadband";
        if (!fields.TryGetValue("deadband", out var node) || !TryScalar(node, field, out var text) || text is null)
            return 0;
        var expected = $"expected an amount of at least 0 in the point's unit (deadband: 0.5) or a percentage of its range max − min (deadband: 1%)";
        var trimmed = text.Trim();
        var isPercent = trimmed.EndsWith('%');
        var number = isPercent ? trimmed[..^1].TrimEnd() : trimmed;
        if (!double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var amount) || !double.IsFinite(amount) || amount < 0
            || (isPercent && amount >= 100))
        {
            Add(node.Start.Line, field, $"{expected}, below 100%; found '{text}'");
            return 0;
        }
        if (!isPercent)
            return amount;
        if (min is { } low && max is { } high)
            return amount / 100 * (high - low);
        Add(node.Start.Line, field, $"a percentage deadband is a share of the range max − min; expected min and max on the point, or an amount in {unit ?? "the point's unit"}; found '{text}'");
        return 0;
    }

    /// <summary>
    /// Reads <c>alarms</c>: a mapping from kind (<c>high</c>, <c>highHigh</c>, <c>low</c>, <c>lowLow</c>, <c>set</c>) to a
    /// limit, so that each kind appears at most once. Checks each limit against the point's range and the limits against
    /// each other.
    /// </summary>
    private IReadOnlyList<AlarmLimit> ReadAlarms(Dictionary<string, YamlNode> fields, string path, double? min, double? max, string? unit)
    {
        var field = $"{path}.alarms";
        if (!fields.TryGetValue("alarms", out var node))
            return [];
        if (node is YamlScalarNode && TryScalar(node, field, out var empty) && empty is null)
            return [];
        if (node is not YamlMappingNode map)
        {
            Add(node.Start.Line, field, $"expected a mapping from limit kind ({string.Join(", ", AlarmKinds.Select(k => k.Name))}) to limit, such as high: {{ value: 253, severity: warning }}; found {Describe(node)}");
            return [];
        }

        var read = new List<(AlarmLimit Limit, Dictionary<string, YamlNode> Fields, YamlNode Node)>();
        foreach (var (keyNode, value) in map.Children)
        {
            if (keyNode is not YamlScalarNode { Value: { Length: > 0 } key })
            {
                Add(keyNode.Start.Line, field, $"expected a limit kind; found {Describe(keyNode)}");
                continue;
            }
            if (!TryChoose(key, AlarmKinds, out var kind))
            {
                var names = AlarmKinds.Select(k => k.Name).ToArray();
                var suggestion = Suggest(key, names);
                var hint = suggestion is null ? $"expected one of {string.Join(", ", names)}" : $"did you mean '{suggestion}'?";
                Add(keyNode.Start.Line, $"{field}.{key}", $"unknown limit kind; {hint}");
                continue;
            }
            var limit = ReadLimit(value, $"{field}.{AlarmLimit.NameOf(kind)}", kind, min, max, unit);
            if (limit is not null)
                read.Add(limit.Value);
        }

        CheckLadder(read, field, unit);
        return read.Count == 0 ? [] : [.. read.Select(r => r.Limit)];
    }

    private (AlarmLimit Limit, Dictionary<string, YamlNode> Fields, YamlNode Node)? ReadLimit(
        YamlNode node, string path, AlarmKind kind, double? min, double? max, string? unit)
    {
        if (node is not YamlMappingNode map)
        {
            Add(node.Start.Line, path, $"expected a mapping of limit fields ({string.Join(", ", LimitFields)}); found {Describe(node)}");
            return null;
        }
        var errorsBefore = _errors.Count;
        var fields = Fields(map, path, LimitFields);

        double value = 0;
        if (kind == AlarmKind.Set)
        {
            foreach (var key in new[] { "value", "hysteresis" })
            {
                if (fields.TryGetValue(key, out var extra))
                    Add(extra.Start.Line, $"{path}.{key}", $"a set alarm is raised while the value is not 0 and cleared when it is 0; it takes no {key} (leave it out)");
            }
        }
        else if (!fields.ContainsKey("value"))
        {
            Add(map.Start.Line, $"{path}.value", $"missing; expected the limit in {unit ?? "the point's unit"}");
        }
        else if (OptionalNumber(fields, path, "value", null) is { } limit)
        {
            value = limit;
            if ((min is { } low && limit < low) || (max is { } high && limit > high))
            {
                Add(fields["value"].Start.Line, $"{path}.value",
                    $"expected a limit within the point's range ({RangeText(min, max)}): a value outside it is out of range, and limits judge only good values; found '{Invariant(limit)}'");
            }
        }

        var severity = OptionalChoice(fields, path, "severity", Severities, DefaultSeverity(kind));
        var hysteresis = OptionalNumber(fields, path, "hysteresis", 0.0) ?? 0;
        if (hysteresis < 0)
            Add(fields["hysteresis"].Start.Line, $"{path}.hysteresis", $"expected an amount of at least 0 in {unit ?? "the point's unit"}; found '{Invariant(hysteresis)}'");
        var delay = ReadDelay(fields, path);
        var message = OptionalText(fields, path, "message");

        if (_errors.Count != errorsBefore)
            return null;
        return (new AlarmLimit(kind, value, severity, hysteresis, delay, message), fields, map);
    }

    private TimeSpan ReadDelay(Dictionary<string, YamlNode> fields, string path)
    {
        var field = $"{path}.delay";
        if (!fields.TryGetValue("delay", out var node) || !TryScalar(node, field, out var text) || text is null)
            return TimeSpan.Zero;
        if (DurationText.TryParse(text, out var delay))
            return delay;
        Add(node.Start.Line, field, $"expected how long the value must stay beyond the limit before the alarm is raised: {DurationText.Expected}, or 0s; found '{text}'");
        return TimeSpan.Zero;
    }

    /// <summary>
    /// Checks that the limits rise lowLow &lt; low &lt; high &lt; highHigh, and that no alarm's hysteresis reaches past a
    /// limit of the other side: a high alarm that could clear only once the value were low would never clear in practice.
    /// </summary>
    private void CheckLadder(List<(AlarmLimit Limit, Dictionary<string, YamlNode> Fields, YamlNode Node)> limits, string path, string? unit)
    {
        var ordered = Ladder.Select(k => limits.FirstOrDefault(l => l.Limit.Kind == k)).Where(l => l.Limit is not null).ToList();
        for (var i = 1; i < ordered.Count; i++)
        {
            var (below, above) = (ordered[i - 1].Limit, ordered[i].Limit);
            if (below.Value < above.Value)
                continue;
            Add(LineOf(ordered[i], "value"), $"{path}.{above.Name}.value",
                $"expected a limit above {below.Name} ({Invariant(below.Value)} {unit}): limits rise lowLow < low < high < highHigh; found '{Invariant(above.Value)}'");
        }

        foreach (var high in ordered.Where(l => l.Limit.IsHighSide))
        {
            foreach (var low in ordered.Where(l => l.Limit.IsLowSide))
            {
                if (high.Limit.Value <= low.Limit.Value)
                    continue; // already reported as out of order
                if (high.Limit.ClearLevel <= low.Limit.Value)
                {
                    Add(LineOf(high, "hysteresis"), $"{path}.{high.Limit.Name}.hysteresis",
                        $"expected less than {Invariant(high.Limit.Value - low.Limit.Value)} {unit}, the distance down to {low.Limit.Name} ({Invariant(low.Limit.Value)}): the alarm would clear only once the value were beyond {low.Limit.Name}; found '{Invariant(high.Limit.Hysteresis)}'");
                }
                if (low.Limit.ClearLevel >= high.Limit.Value)
                {
                    Add(LineOf(low, "hysteresis"), $"{path}.{low.Limit.Name}.hysteresis",
                        $"expected less than {Invariant(high.Limit.Value - low.Limit.Value)} {unit}, the distance up to {high.Limit.Name} ({Invariant(high.Limit.Value)}): the alarm would clear only once the value were beyond {high.Limit.Name}; found '{Invariant(low.Limit.Hysteresis)}'");
                }
            }
        }
    }

    private static string RangeText(double? min, double? max) => (min, max) switch
    {
        ({ } low, { } high) => $"min {Invariant(low)}, max {Invariant(high)}",
        ({ } low, null) => $"min {Invariant(low)}",
        _ => $"max {Invariant(max!.Value)}",
    };

    private static long LineOf((AlarmLimit Limit, Dictionary<string, YamlNode> Fields, YamlNode Node) limit, string key) =>
        limit.Fields.TryGetValue(key, out var node) ? node.Start.Line : limit.Node.Start.Line;

    /// <summary>An alarm beyond a second limit is more urgent than one beyond the first.</summary>
    private static AlarmSeverity DefaultSeverity(AlarmKind kind) =>
        kind is AlarmKind.HighHigh or AlarmKind.LowLow ? AlarmSeverity.Major : AlarmSeverity.Warning;
}
