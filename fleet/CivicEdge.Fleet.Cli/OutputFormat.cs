using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using CivicEdge.Fleet.Contracts;
using Spectre.Console;

namespace CivicEdge.Fleet.Cli;

/// <summary>How the CLI shows API answers: tables for people, indented JSON for scripts.</summary>
public static class OutputFormat
{
    public static void WriteJson<T>(IAnsiConsole console, T value, JsonTypeInfo<T> typeInfo)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
            JsonSerializer.Serialize(writer, value, typeInfo);
        // Plain text: JSON must not be parsed as Spectre markup or wrapped at the console width.
        console.Profile.Out.Writer.WriteLine(Encoding.UTF8.GetString(buffer.ToArray()));
    }

    public static void WriteDevices(IAnsiConsole console, IReadOnlyList<DeviceSummary> devices)
    {
        if (devices.Count == 0)
        {
            console.MarkupLine("[grey]The fleet knows no devices yet.[/]");
            return;
        }

        var table = new Table().AddColumns("Device", "Model", "Gateway", "Last seen (UTC)", "Readings");
        foreach (var d in devices)
        {
            table.AddRow(
                Markup.Escape(d.Id),
                Markup.Escape(d.Model ?? "-"),
                Markup.Escape(d.Gateway ?? "-"),
                d.LastSeen?.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) ?? "-",
                d.Readings.ToString(CultureInfo.InvariantCulture));
        }
        console.Write(table);
    }

    public static void WriteTelemetry(IAnsiConsole console, DeviceTelemetry telemetry)
    {
        console.MarkupLineInterpolated($"[bold]{telemetry.DeviceId}[/]  series {telemetry.From.UtcDateTime:yyyy-MM-dd HH:mm:ss} .. {telemetry.To.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC");
        if (telemetry.Latest.Count == 0)
        {
            console.MarkupLine("[grey]No readings yet.[/]");
            return;
        }

        var seriesByPoint = telemetry.Series.ToDictionary(s => s.Point, StringComparer.Ordinal);
        var table = new Table().AddColumns("Point", "Value", "Unit", "Quality", "At (UTC)", "Samples", "Min", "Max");
        table.Columns[1].RightAligned();
        table.Columns[5].RightAligned();
        table.Columns[6].RightAligned();
        table.Columns[7].RightAligned();
        foreach (var latest in telemetry.Latest)
        {
            var samples = seriesByPoint.TryGetValue(latest.Point, out var s) ? s.Samples : [];
            table.AddRow(
                Markup.Escape(latest.Point),
                Format(latest.Value),
                Markup.Escape(latest.Unit),
                latest.Quality == Quality.Good ? "good" : $"[yellow]{latest.Quality}[/]",
                latest.Timestamp.UtcDateTime.ToString("HH:mm:ss", CultureInfo.InvariantCulture),
                samples.Count.ToString(CultureInfo.InvariantCulture),
                samples.Count > 0 ? Format(samples.Min(x => x.Value)) : "-",
                samples.Count > 0 ? Format(samples.Max(x => x.Value)) : "-");
        }
        console.Write(table);
    }

    private static string Format(double value) => value.ToString("G6", CultureInfo.InvariantCulture);
}
