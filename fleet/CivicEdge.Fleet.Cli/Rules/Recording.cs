using System.Globalization;
using System.Text.Json;

namespace CivicEdge.Fleet.Cli.Rules;

/// <summary>
/// Reads recorded readings: CSV with a header naming the columns <c>time</c> (or <c>timestamp</c>), <c>device</c>,
/// <c>point</c>, <c>value</c> and optionally <c>quality</c>, in any order and among others — so the fleet's raw telemetry
/// export (<c>device,point,time,value,unit,quantity,quality,source,stream,seq</c>) reads as it is; or JSON: one array
/// of objects with those names (the fleet's JSON export) or one object per line.
/// </summary>
public static class Recording
{
    /// <summary>The readings of <paramref name="path"/>, oldest first.</summary>
    /// <exception cref="FormatException">A line or object is not a reading; the message names the file, line and what was expected.</exception>
    public static IReadOnlyList<RecordedReading> Read(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var text = File.ReadAllText(path);
        var trimmed = text.TrimStart();
        var readings = trimmed.StartsWith('[') || trimmed.StartsWith('{') ? ReadJson(text, path) : ReadCsv(text, path);
        return [.. readings.OrderBy(r => r.Time)];
    }

    private static List<RecordedReading> ReadCsv(string text, string path)
    {
        var lines = text.Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        var header = Fields(lines.FirstOrDefault() ?? "").Select(f => f.Trim().ToLowerInvariant()).ToList();
        int Column(params string[] names) => names.Select(n => header.IndexOf(n)).FirstOrDefault(i => i >= 0, -1);
        var (time, device, point, value, quality) = (Column("time", "timestamp"), Column("device"), Column("point"), Column("value"), Column("quality"));
        if (time < 0 || device < 0 || point < 0 || value < 0)
            throw new FormatException($"{Path.GetFileName(path)}:1: expected a header with the columns time, device, point, value[, quality]; found '{lines.FirstOrDefault()}'");

        var readings = new List<RecordedReading>();
        for (var i = 1; i < lines.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(lines[i]))
                continue;
            var fields = Fields(lines[i]);
            string Field(int column) => column < fields.Count ? fields[column].Trim() : "";
            readings.Add(Reading(Field(time), Field(device), Field(point), Field(value), quality < 0 ? null : Field(quality), $"{Path.GetFileName(path)}:{i + 1}"));
        }

        return readings;
    }

    private static List<RecordedReading> ReadJson(string text, string path)
    {
        var readings = new List<RecordedReading>();
        var name = Path.GetFileName(path);
        if (text.TrimStart().StartsWith('['))
        {
            using var document = Parse(text, name);
            var index = 0;
            foreach (var row in document.RootElement.EnumerateArray())
                readings.Add(FromObject(row, $"{name}[{index++}]"));
            return readings;
        }

        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            if (string.IsNullOrWhiteSpace(lines[i]))
                continue;
            using var document = Parse(lines[i], $"{name}:{i + 1}");
            readings.Add(FromObject(document.RootElement, $"{name}:{i + 1}"));
        }

        return readings;
    }

    private static JsonDocument Parse(string json, string where)
    {
        try
        {
            return JsonDocument.Parse(json);
        }
        catch (JsonException ex)
        {
            throw new FormatException($"{where}: expected JSON readings; found {ex.Message}", ex);
        }
    }

    private static RecordedReading FromObject(JsonElement row, string where)
    {
        if (row.ValueKind != JsonValueKind.Object)
            throw new FormatException($"{where}: expected an object with time, device, point, value; found {row.ValueKind}");
        string? Text(params string[] names)
        {
            foreach (var property in row.EnumerateObject())
            {
                if (names.Contains(property.Name, StringComparer.OrdinalIgnoreCase))
                    return property.Value.ValueKind == JsonValueKind.String ? property.Value.GetString() : property.Value.GetRawText();
            }

            return null;
        }

        return Reading(Text("time", "timestamp") ?? "", Text("device") ?? "", Text("point") ?? "", Text("value") ?? "", Text("quality"), where);
    }

    private static RecordedReading Reading(string time, string device, string point, string value, string? quality, string where)
    {
        if (!DateTimeOffset.TryParse(time, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var at))
            throw new FormatException($"{where}: time: expected an ISO 8601 time such as 2026-11-28T19:00:00Z; found '{time}'");
        if (device.Length == 0 || point.Length == 0)
            throw new FormatException($"{where}: expected a device and a point; found '{device}' and '{point}'");
        if (!double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
            throw new FormatException($"{where}: value: expected a number; found '{value}'");
        var good = quality is null || quality.Length == 0 || quality.Equals("good", StringComparison.OrdinalIgnoreCase);
        return new RecordedReading(at, device, point, number, good);
    }

    /// <summary>Splits one CSV line (RFC 4180 quoting; a leading <c>'</c> the export adds against formulas is kept as text).</summary>
    private static List<string> Fields(string line)
    {
        var fields = new List<string>();
        var current = new System.Text.StringBuilder();
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < line.Length && line[i + 1] == '"')
                {
                    current.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    current.Append(c);
                }
            }
            else if (c == '"')
            {
                quoted = true;
            }
            else if (c == ',')
            {
                fields.Add(current.ToString());
                current.Clear();
            }
            else
            {
                current.Append(c);
            }
        }

        fields.Add(current.ToString());
        return fields;
    }
}
