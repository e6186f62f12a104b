using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace CivicEdge.Gateway.Tests.Support;

/// <summary>
/// A strict reader of the Prometheus text exposition format 0.0.4, as a scraper reads it: it fails the test on any line
/// a scraper would refuse (bad names, bad escapes, a TYPE after samples, a family split in two, a repeated series,
/// histogram buckets that are not cumulative or miss +Inf) and on the lint rules promtool applies to counters.
/// </summary>
internal static partial class PrometheusText
{
    private static readonly string[] Types = ["counter", "gauge", "histogram", "summary", "untyped"];

    public static IReadOnlyDictionary<string, Family> Parse(string text)
    {
        Assert.That(text, Does.EndWith("\n"), "the exposition ends with a line feed");
        var families = new Dictionary<string, Family>(StringComparer.Ordinal);
        var closed = new HashSet<string>(StringComparer.Ordinal);
        string? current = null;
        var lineNumber = 0;
        foreach (var line in text[..^1].Split('\n'))
        {
            lineNumber++;
            var where = $"line {lineNumber} '{line}'";
            if (line.StartsWith("# HELP ", StringComparison.Ordinal) || line.StartsWith("# TYPE ", StringComparison.Ordinal))
            {
                var parts = line[7..].Split(' ', 2);
                Assert.That(MetricName().IsMatch(parts[0]), Is.True, $"{where}: metric name");
                var family = Enter(parts[0]);
                if (line[2] == 'H')
                {
                    Assert.That(family.Help, Is.Null, $"{where}: HELP given twice");
                    family.Help = Unescape(parts.Length > 1 ? parts[1] : "", help: true, where);
                }
                else
                {
                    Assert.That(family.Type, Is.Null, $"{where}: TYPE given twice");
                    Assert.That(family.Samples, Is.Empty, $"{where}: TYPE after samples");
                    Assert.That(Types, Does.Contain(parts[1]), $"{where}: type");
                    family.Type = parts[1];
                }

                continue;
            }

            if (line.StartsWith('#') || line.Length == 0)
                continue;

            var sample = ReadSample(line, where);
            var name = FamilyOf(sample.Name, families);
            var owner = Enter(name);
            Assert.That(owner.Samples.Any(s => s.Name == sample.Name && s.Labels.SequenceEqual(sample.Labels)), Is.False, $"{where}: series repeated");
            owner.Samples.Add(sample);
        }

        foreach (var family in families.Values)
            Check(family);
        return families;

        Family Enter(string name)
        {
            if (current != name)
            {
                Assert.That(closed, Does.Not.Contain(name), $"family {name} is split in two");
                if (current is not null)
                    closed.Add(current);
                current = name;
            }

            if (!families.TryGetValue(name, out var family))
                families[name] = family = new Family(name);
            return family;
        }
    }

    private static string FamilyOf(string sampleName, Dictionary<string, Family> families)
    {
        foreach (var suffix in new[] { "_bucket", "_sum", "_count" })
        {
            if (sampleName.EndsWith(suffix, StringComparison.Ordinal)
                && families.TryGetValue(sampleName[..^suffix.Length], out var family) && family.Type is "histogram" or "summary")
            {
                return family.Name;
            }
        }

        return sampleName;
    }

    private static Sample ReadSample(string line, string where)
    {
        var match = SampleLine().Match(line);
        Assert.That(match.Success, Is.True, $"{where}: not a sample line");
        var labels = new List<(string, string)>();
        var text = match.Groups["labels"].Value;
        var position = 0;
        while (position < text.Length)
        {
            var label = LabelPair().Match(text, position);
            Assert.That(label.Success && label.Index == position, Is.True, $"{where}: label at {position}");
            var name = label.Groups["name"].Value;
            Assert.That(name, Does.Not.StartWith("__"), $"{where}: reserved label name");
            Assert.That(labels.Any(l => l.Item1 == name), Is.False, $"{where}: label {name} twice");
            labels.Add((name, Unescape(label.Groups["value"].Value, help: false, where)));
            position += label.Length;
            if (position < text.Length)
            {
                Assert.That(text[position], Is.EqualTo(','), $"{where}: expected ',' between labels");
                position++;
            }
        }

        var value = match.Groups["value"].Value;
        var number = value switch
        {
            "+Inf" => double.PositiveInfinity,
            "-Inf" => double.NegativeInfinity,
            "NaN" => double.NaN,
            _ => double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) ? parsed : throw new AssertionException($"{where}: value '{value}'"),
        };
        return new Sample(match.Groups["name"].Value, labels, number);
    }

    private static void Check(Family family)
    {
        Assert.That(family.Type, Is.Not.Null, $"{family.Name}: no TYPE");
        Assert.That(family.Help, Is.Not.Null.And.Not.Empty, $"{family.Name}: no HELP");
        if (family.Type == "counter")
        {
            Assert.That(family.Name, Does.EndWith("_total"), $"{family.Name}: a counter's name ends in _total");
            Assert.That(family.Samples.All(s => s.Value >= 0), Is.True, $"{family.Name}: a counter is never negative");
        }
        else
        {
            Assert.That(family.Name, Does.Not.EndWith("_total"), $"{family.Name}: only counters end in _total");
        }

        if (family.Type != "histogram")
            return;
        foreach (var series in family.Samples.Where(s => s.Name == family.Name + "_count"))
        {
            var buckets = family.Samples
                .Where(s => s.Name == family.Name + "_bucket" && s.Labels.Where(l => l.Name != "le").SequenceEqual(series.Labels))
                .ToList();
            Assert.That(buckets.Select(b => b.Labels.Single(l => l.Name == "le").Value).Last(), Is.EqualTo("+Inf"), $"{family.Name}: +Inf bucket last");
            Assert.That(buckets.Select(b => b.Value), Is.Ordered, $"{family.Name}: buckets are cumulative");
            Assert.That(buckets[^1].Value, Is.EqualTo(series.Value), $"{family.Name}: +Inf bucket equals _count");
        }
    }

    private static string Unescape(string text, bool help, string where)
    {
        var result = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] != '\\')
            {
                Assert.That(help || text[i] is not ('"' or '\n'), Is.True, $"{where}: unescaped character in a label value");
                result.Append(text[i]);
                continue;
            }

            Assert.That(i + 1, Is.LessThan(text.Length), $"{where}: dangling backslash");
            result.Append(text[++i] switch
            {
                '\\' => '\\',
                'n' => '\n',
                '"' when !help => '"',
                _ => throw new AssertionException($"{where}: unknown escape \\{text[i]}"),
            });
        }

        return result.ToString();
    }

    [GeneratedRegex("^[a-zA-Z_:][a-zA-Z0-9_:]*$")]
    private static partial Regex MetricName();

    [GeneratedRegex("""^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?<labels>.*)\})? (?<value>\S+)( -?\d+)?$""")]
    private static partial Regex SampleLine();

    [GeneratedRegex(@"(?<name>[a-zA-Z_][a-zA-Z0-9_]*)=""(?<value>(\\.|[^""\\])*)""")]
    private static partial Regex LabelPair();

    public sealed class Family(string name)
    {
        public string Name { get; } = name;

        public string? Help { get; set; }

        public string? Type { get; set; }

        public List<Sample> Samples { get; } = [];

        public double Value(params (string Name, string Value)[] labels) =>
            Samples.Single(s => s.Name == Name && labels.All(l => s.Labels.Contains(l))).Value;
    }

    public sealed record Sample(string Name, IReadOnlyList<(string Name, string Value)> Labels, double Value);
}
