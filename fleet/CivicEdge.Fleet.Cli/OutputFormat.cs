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

    public static void WriteAggregates(IAnsiConsole console, AggregatedTelemetry telemetry)
    {
        console.MarkupLineInterpolated($"[bold]{telemetry.DeviceId}[/]  per {telemetry.Interval}, {telemetry.From.UtcDateTime:yyyy-MM-dd HH:mm:ss} .. {telemetry.To.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC");
        if (telemetry.Series.Count == 0)
        {
            console.MarkupLine("[grey]No samples in the window.[/]");
            return;
        }

        var table = new Table().AddColumns("Point", "Start (UTC)", "Unit");
        foreach (var name in telemetry.Aggregates)
            table.AddColumn(new TableColumn(name).RightAligned());
        foreach (var series in telemetry.Series)
        {
            foreach (var bucket in series.Buckets)
            {
                var cells = new List<string>
                {
                    Markup.Escape(series.Point),
                    bucket.Start.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture),
                    Markup.Escape(series.Unit),
                };
                cells.AddRange(telemetry.Aggregates.Select(name => name switch
                {
                    "count" => bucket.Count?.ToString(CultureInfo.InvariantCulture) ?? "-",
                    "min" => Optional(bucket.Min),
                    "max" => Optional(bucket.Max),
                    "avg" => Optional(bucket.Avg),
                    "last" => Optional(bucket.Last),
                    _ => "-",
                }));
                table.AddRow([.. cells]);
            }
        }

        console.Write(table);

        static string Optional(double? value) => value is { } v ? Format(v) : "-";
    }

    public static void WriteTwin(IAnsiConsole console, DeviceTwin twin)
    {
        console.MarkupLineInterpolated($"[bold]{twin.DeviceId}[/]");
        if (twin.Desired is { } desired)
        {
            var what = desired.Configuration is { } c
                ? $"{c.Devices.Count} devices, {c.Buses.Count} buses, {c.Profiles.Count} profiles"
                : "withdrawn: the gateway's local file applies";
            console.MarkupLineInterpolated($"desired   version {desired.Version}, set {Time(desired.UpdatedAt)}: {what}");
        }
        else
        {
            console.MarkupLine("desired   [grey]none set: the gateway's local file applies[/]");
        }

        if (twin.Reported is not { } reported)
        {
            console.MarkupLine("reported  [grey]nothing yet[/]");
            return;
        }

        var running = reported.Origin == ConfigurationOrigin.Fleet ? $"the fleet's configuration, version {reported.AppliedVersion}" : "its local file's configuration";
        console.MarkupLineInterpolated($"reported  {Time(reported.Timestamp)}: running {running} (software {reported.SoftwareVersion})");
        if (twin.Desired is { } wanted && reported.LastDesired?.Version != wanted.Version)
            console.MarkupLineInterpolated($"          [yellow]desired version {wanted.Version} not answered yet[/]");
        Outcome(console, "desired", reported.LastDesired);
        Outcome(console, "local file", reported.LastLocal);

        if (reported.Devices.Count == 0)
        {
            console.MarkupLine("[grey]No devices polled.[/]");
            return;
        }

        var table = new Table().AddColumns("Device", "Model", "Bus", "Unit", "Poll every");
        table.Columns[3].RightAligned();
        table.Columns[4].RightAligned();
        foreach (var d in reported.Devices)
            table.AddRow(Markup.Escape(d.Id), Markup.Escape(d.Model), Markup.Escape(d.Bus), d.Unit.ToString(CultureInfo.InvariantCulture), $"{Format(d.PollIntervalSeconds)} s");
        console.Write(table);
    }

    public static void WriteGatewayStatus(IAnsiConsole console, HealthReport report)
    {
        var origin = report.Origin == ConfigurationOrigin.Fleet ? $"fleet configuration v{report.AppliedVersion}" : "local configuration";
        console.MarkupLineInterpolated($"[bold]{report.SourceId}[/]  software {report.SoftwareVersion}, up {Duration(report.UptimeSeconds)}, {origin}, at {Time(report.Timestamp)}");
        var process = report.Process;
        console.MarkupLineInterpolated($"process   CPU {Short(process.CpuPercent)} %, memory {Bytes(process.WorkingSetBytes)} (managed heap {Bytes(process.GcHeapBytes)})");
        console.MarkupLineInterpolated($"disk      {(report.Disk.FreeBytes is { } free ? $"{Bytes(free)} free of {Bytes(report.Disk.TotalBytes ?? 0)}" : "unknown")} at {report.Disk.Path}");
        if (report.Disk.Condition != DiskCondition.Healthy)
            console.MarkupLineInterpolated($"          [red]{(report.Disk.Condition == DiskCondition.DiskFull ? "disk full" : "writes failing")}[/] since {Time(report.Disk.Since)}: {report.Disk.LastError ?? "no detail"}; {report.Disk.Buffered} readings held in memory");
        var uplink = report.Uplink;
        if (uplink.Connected)
            console.MarkupLineInterpolated($"uplink    [green]connected[/] since {Time(uplink.Since)}");
        else
            console.MarkupLineInterpolated($"uplink    [red]not connected[/]{(uplink.Since is { } since ? $" since {Time(since)}" : "")}{(uplink.LastError is { } error ? $": {error}" : "")}{(uplink.FailedAttempts > 0 ? $" ({uplink.FailedAttempts} failed attempts)" : "")}");
        foreach (var stream in report.Outbox.Where(o => o.LastSeq > 0))
        {
            var waiting = stream.Depth == 0 ? "nothing waiting" : $"{stream.Depth} waiting, oldest {Duration(stream.OldestAgeSeconds ?? 0)} old";
            console.MarkupLineInterpolated($"outbox    {stream.Stream}: {waiting}; {stream.Delivered} delivered{(stream.Quarantined > 0 ? $", {stream.Quarantined} quarantined" : "")}{(stream.Dropped > 0 ? $", {stream.Dropped} dropped while full" : "")}");
        }

        if (report.Devices.Count == 0)
        {
            console.MarkupLine("[grey]No field devices configured.[/]");
            return;
        }

        var table = new Table().AddColumns("Device", "Bus", "Verdict", "Polls", "Requests", "Timeouts", "CRC", "Exceptions", "Latency avg/max", "Last answer", "Reasons");
        foreach (var i in new[] { 3, 4, 5, 6, 7, 8 })
            table.Columns[i].RightAligned();
        foreach (var d in report.Devices)
        {
            table.AddRow(
                Markup.Escape(d.DeviceId),
                Markup.Escape(d.Bus),
                d.Verdict switch
                {
                    HealthVerdict.Ok => "[green]ok[/]",
                    HealthVerdict.Degraded => "[yellow]degraded[/]",
                    _ => "[red]failed[/]",
                },
                d.Polls.ToString(CultureInfo.InvariantCulture),
                d.Requests.ToString(CultureInfo.InvariantCulture),
                d.Timeouts.ToString(CultureInfo.InvariantCulture),
                d.CrcErrors.ToString(CultureInfo.InvariantCulture),
                d.Exceptions.ToString(CultureInfo.InvariantCulture),
                d.LatencyAverageMs is { } avg ? $"{Short(avg)}/{Short(d.LatencyMaxMs ?? avg)} ms" : "-",
                d.LastAnswer is { } last ? Time(last) : "never",
                Markup.Escape(string.Join("; ", d.Reasons)));
        }

        console.Write(table);
    }

    private static void Outcome(IAnsiConsole console, string what, ConfigurationOutcome? outcome)
    {
        if (outcome is null)
            return;
        var version = outcome.Version is { } v ? $" version {v}" : "";
        var status = outcome.Status switch
        {
            ConfigurationStatus.Applied => "[green]applied[/]",
            ConfigurationStatus.Refused => "[red]refused[/]",
            _ => "[yellow]superseded by the fleet's[/]",
        };
        console.MarkupLine($"          {Markup.Escape(what)}{Markup.Escape(version)} {status} at {Time(outcome.At)}");
        foreach (var error in outcome.Errors)
            console.MarkupLineInterpolated($"            [red]-[/] {error}");
    }

    private static string Time(DateTimeOffset? time) =>
        time?.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture) ?? "-";

    private static string Duration(double seconds)
    {
        var span = TimeSpan.FromSeconds(seconds);
        return span.TotalDays >= 1 ? $"{(int)span.TotalDays} d {span.Hours} h"
            : span.TotalHours >= 1 ? $"{(int)span.TotalHours} h {span.Minutes} min"
            : span.TotalMinutes >= 1 ? $"{(int)span.TotalMinutes} min {span.Seconds} s"
            : $"{span.Seconds} s";
    }

    private static string Bytes(long bytes) => bytes switch
    {
        >= 1L << 30 => $"{Short(bytes / (double)(1L << 30))} GiB",
        >= 1L << 20 => $"{Short(bytes / (double)(1L << 20))} MiB",
        >= 1L << 10 => $"{Short(bytes / (double)(1L << 10))} KiB",
        _ => $"{bytes} B",
    };

    private static string Short(double value) => value.ToString("0.#", CultureInfo.InvariantCulture);

    private static string Format(double value) => value.ToString("G6", CultureInfo.InvariantCulture);
}
