using System.Globalization;
using System.Text.Json;
using CivicEdge.Fleet.Contracts.Alarms;
using CivicEdge.Fleet.Contracts.Health;
using Spectre.Console;

namespace CivicEdge.Fleet.Cli.Health;

/// <summary>How the CLI shows health and alarms to people: tables with the verdicts in colour.</summary>
public static class HealthOutput
{
    public static void WriteRollup(IAnsiConsole console, HealthRollup rollup, IReadOnlyList<DeviceHealthStatus> notOk)
    {
        var table = new Table().AddColumns("Group", "Devices", "Online", "Late", "Offline", "Unknown", "Ok", "Degraded", "Failing");
        for (var i = 1; i < table.Columns.Count; i++)
            table.Columns[i].RightAligned();
        Add("all", rollup.Total);
        foreach (var (title, groups) in new[] { ("tenant", rollup.ByTenant), ("district", rollup.ByDistrict), ("kind", rollup.ByKind) })
        {
            foreach (var group in groups)
                Add($"{title} {group.Key}", group);
        }

        console.Write(table);
        console.MarkupLineInterpolated($"[grey]at {rollup.At.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC[/]");
        if (notOk.Count == 0)
        {
            console.MarkupLine("[green]Every device is ok.[/]");
            return;
        }

        console.WriteLine();
        WriteDevices(console, notOk);

        void Add(string name, HealthCounts c) => table.AddRow(
            Markup.Escape(name), Count(c.Devices), Count(c.Online), Count(c.Late, "yellow"), Count(c.Offline, "red"), Count(c.Unknown, "grey"),
            Count(c.Ok), Count(c.Degraded, "yellow"), Count(c.Failing, "red"));
    }

    public static void WriteDevices(IAnsiConsole console, IReadOnlyList<DeviceHealthStatus> devices)
    {
        var table = new Table().AddColumns("Device", "Kind", "Tenant", "District", "State", "Verdict", "Last heard (UTC)", "Reasons");
        foreach (var device in devices)
        {
            table.AddRow(
                Markup.Escape(device.Device),
                Name(device.Kind?.ToString()),
                Markup.Escape(device.Tenant ?? "-"),
                Markup.Escape(device.District ?? "-"),
                Name(device.State.ToString()),
                Verdict(device.Verdict),
                device.LastSeen is { } seen ? seen.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) : "never",
                Markup.Escape(string.Join("; ", device.Reasons.Select(r => r.Message))));
        }

        console.Write(table);
    }

    public static void WriteDevice(IAnsiConsole console, DeviceHealthStatus device)
    {
        console.MarkupLine($"[bold]{Markup.Escape(device.Device)}[/]  {Verdict(device.Verdict)}, {Name(device.State.ToString())}{(device.Registered ? string.Empty : "  [yellow]not in the ledger[/]")}");
        console.MarkupLineInterpolated($"kind         {Name(device.Kind?.ToString())} of {device.Tenant ?? "-"}, district {device.District ?? "-"}");
        console.MarkupLineInterpolated($"gateway      {device.Gateway ?? "-"}");
        console.MarkupLineInterpolated($"cadence      every {TimeSpan.FromSeconds(device.CadenceSeconds)} (from {device.CadenceOrigin})");
        console.MarkupLineInterpolated($"last heard   {(device.LastSeen is { } seen ? seen.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture) : "never")}");
        foreach (var reason in device.Reasons)
            console.MarkupLine($"  {Verdict(reason.Verdict)} {Markup.Escape(reason.Code)}: {Markup.Escape(reason.Message)}");
    }

    public static void WriteAssessment(IAnsiConsole console, PlanAssessment assessment)
    {
        var table = new Table().AddColumns("District", "Owner", "Smart lighting (poles)", "Meters reporting", "Pipe sensors online");
        foreach (var row in assessment.Rows.Append(assessment.Total))
        {
            table.AddRow(Markup.Escape(row.District), Markup.Escape(row.Tenant), Figure(row.SmartLighting), Figure(row.MeterReporting), Figure(row.PipeSensorsOnline));
        }

        console.Write(table);
        console.MarkupLineInterpolated($"[grey]at {assessment.At.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC; devices in service only[/]");
    }

    public static void WriteAlarms(IAnsiConsole console, IReadOnlyList<Alarm> alarms)
    {
        if (alarms.Count == 0)
        {
            console.MarkupLine("[grey]No alarm matches.[/]");
            return;
        }

        var table = new Table().AddColumns("Id", "Device", "Type", "Severity", "Source", "State", "First raised (UTC)", "Last", "Count", "Assignee");
        table.Columns[0].RightAligned();
        table.Columns[8].RightAligned();
        foreach (var alarm in alarms)
        {
            table.AddRow(
                alarm.Id.ToString(CultureInfo.InvariantCulture),
                Markup.Escape(alarm.Device),
                Markup.Escape(alarm.Type),
                Severity(alarm.Severity.ToString()),
                Name(alarm.Source.ToString()),
                Name(alarm.State.ToString()),
                alarm.FirstRaised.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
                alarm.LastRaised.UtcDateTime.ToString("MM-dd HH:mm", CultureInfo.InvariantCulture),
                alarm.Count.ToString(CultureInfo.InvariantCulture),
                Markup.Escape(alarm.Assignee ?? "-"));
        }

        console.Write(table);
    }

    public static void WriteAlarm(IAnsiConsole console, Alarm alarm)
    {
        console.MarkupLine($"[bold]alarm {alarm.Id}[/]  {Markup.Escape(alarm.Type)} of {Markup.Escape(alarm.Device)}: {Severity(alarm.Severity.ToString())}, {Name(alarm.State.ToString())}");
        console.MarkupLineInterpolated($"message      {alarm.Message}");
        console.MarkupLineInterpolated($"raised       {alarm.Count} times, {alarm.FirstRaised.UtcDateTime:yyyy-MM-dd HH:mm:ss} to {alarm.LastRaised.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC");
        foreach (var step in alarm.History)
        {
            console.MarkupLineInterpolated(
                $"  {step.At.UtcDateTime:yyyy-MM-dd HH:mm:ss}  {Name(step.State.ToString())} by {step.By}{(step.Assignee is { } to ? $" to {to}" : string.Empty)}{(step.Note is { } note ? $": {note}" : string.Empty)}");
        }
    }

    private static string Figure(AssessmentFigure figure) =>
        figure.Share is { } share
            ? $"{(share * 100).ToString("0.0", CultureInfo.InvariantCulture)} % ({figure.Counted}/{figure.Eligible})"
            : "[grey]-[/]";

    private static string Count(int value, string colour = "default") =>
        value == 0 || colour == "default" ? value.ToString(CultureInfo.InvariantCulture) : $"[{colour}]{value.ToString(CultureInfo.InvariantCulture)}[/]";

    private static string Verdict(DeviceVerdict verdict) => verdict switch
    {
        DeviceVerdict.Ok => "[green]ok[/]",
        DeviceVerdict.Degraded => "[yellow]degraded[/]",
        DeviceVerdict.Failing => "[red]failing[/]",
        DeviceVerdict.Offline => "[red]offline[/]",
        _ => "[grey]unknown[/]",
    };

    private static string Severity(string severity) => severity switch
    {
        "Critical" => "[red bold]critical[/]",
        "Major" => "[red]major[/]",
        "Warning" => "[yellow]warning[/]",
        _ => "info",
    };

    private static string Name(string? value) => value is null ? "-" : JsonNamingPolicy.CamelCase.ConvertName(value);
}
