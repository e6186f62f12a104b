using System.CommandLine;
using CivicEdge.Fleet.Contracts.Alarms;
using CivicEdge.Fleet.Contracts.Health;
using Spectre.Console;

namespace CivicEdge.Fleet.Cli.Health;

/// <summary>
/// <c>civic health [device]</c>, <c>civic health assessment</c> and <c>civic alarms [ack|assign|clear|close|show]</c>:
/// the fleet's health and its alarm loop for people (tables) and scripts (<c>--json</c>).
/// </summary>
public static class HealthCommands
{
    public static IEnumerable<Command> Build(IAnsiConsole console, Option<bool> json, Func<ParseResult, HealthApiClient> client, Func<Func<Task>, Task<int>> run)
    {
        ArgumentNullException.ThrowIfNull(console);
        ArgumentNullException.ThrowIfNull(json);
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(run);
        yield return BuildHealth(console, json, client, run);
        yield return BuildAlarms(console, json, client, run);
    }

    private static Command BuildHealth(IAnsiConsole console, Option<bool> json, Func<ParseResult, HealthApiClient> client, Func<Func<Task>, Task<int>> run)
    {
        var tenant = new Option<string?>("--tenant") { Description = "Only this tenant's devices" };
        var district = new Option<string?>("--district") { Description = "Only this district's devices" };
        var kind = new Option<string?>("--kind") { Description = "Only devices of this kind, e.g. waterMeter" };
        var device = new Argument<string?>("device") { Description = "One device's health instead of the roll-up", Arity = ArgumentArity.ZeroOrOne };
        var health = new Command("health", "The fleet's health: devices per state and verdict by tenant, district and kind, then every device that is not ok")
        {
            device, tenant, district, kind,
        };
        health.SetAction((parse, ct) => run(async () =>
        {
            var api = client(parse);
            if (parse.GetValue(device) is { Length: > 0 } id)
            {
                var status = await api.DeviceAsync(id, ct);
                if (parse.GetValue(json))
                    OutputFormat.WriteJson(console, status, HealthJson.Default.DeviceHealthStatus);
                else
                    HealthOutput.WriteDevice(console, status);
                return;
            }

            var filters = Filters(("tenant", parse.GetValue(tenant)), ("district", parse.GetValue(district)), ("kind", parse.GetValue(kind)));
            var rollup = await api.RollupAsync(filters, ct);
            var devices = await api.DevicesAsync(filters, ct);
            var notOk = devices.Where(d => d.Verdict != DeviceVerdict.Ok).ToList();
            if (parse.GetValue(json))
                OutputFormat.WriteJson(console, new HealthOverview(rollup, notOk), HealthCliJson.Default.HealthOverview);
            else
                HealthOutput.WriteRollup(console, rollup, notOk);
        }));

        var assessmentTenant = new Option<string?>("--tenant") { Description = "Only this owner's devices" };
        var assessmentDistrict = new Option<string?>("--district") { Description = "Only this district's devices" };
        var assessment = new Command("assessment", "The plans' figures per district and owner: working smart lighting, meters reporting, pipe sensors online")
        {
            assessmentTenant, assessmentDistrict,
        };
        assessment.SetAction((parse, ct) => run(async () =>
        {
            var figures = await client(parse).AssessmentAsync(Filters(("tenant", parse.GetValue(assessmentTenant)), ("district", parse.GetValue(assessmentDistrict))), ct);
            if (parse.GetValue(json))
                OutputFormat.WriteJson(console, figures, HealthJson.Default.PlanAssessment);
            else
                HealthOutput.WriteAssessment(console, figures);
        }));
        health.Subcommands.Add(assessment);
        return health;
    }

    private static Command BuildAlarms(IAnsiConsole console, Option<bool> json, Func<ParseResult, HealthApiClient> client, Func<Func<Task>, Task<int>> run)
    {
        var state = new Option<string?>("--state") { Description = "open, or any of raised, acknowledged, assigned, cleared, closed (comma-separated)" };
        var severity = new Option<string?>("--severity") { Description = "At least this severe: info, warning, major, critical" };
        var device = new Option<string?>("--device") { Description = "Only this device's alarms" };
        var tenant = new Option<string?>("--tenant") { Description = "Only this tenant's alarms" };
        var district = new Option<string?>("--district") { Description = "Only this district's alarms" };
        var limit = new Option<int?>("--limit") { Description = "The newest this many (default 500)" };
        var alarms = new Command("alarms", "Alarms, newest first; and the steps of their lifecycle") { state, severity, device, tenant, district, limit };
        alarms.SetAction((parse, ct) => run(async () =>
        {
            var list = await client(parse).AlarmsAsync(
                Filters(("state", parse.GetValue(state)), ("severity", parse.GetValue(severity)), ("device", parse.GetValue(device)),
                    ("tenant", parse.GetValue(tenant)), ("district", parse.GetValue(district)),
                    ("limit", parse.GetValue(limit)?.ToString(System.Globalization.CultureInfo.InvariantCulture))),
                ct);
            if (parse.GetValue(json))
                OutputFormat.WriteJson(console, list, HealthJson.Default.IReadOnlyListAlarm);
            else
                HealthOutput.WriteAlarms(console, list);
        }));

        var showId = new Argument<long>("id") { Description = "The alarm's id" };
        var show = new Command("show", "One alarm and its history") { showId };
        show.SetAction((parse, ct) => run(async () =>
        {
            var alarm = await client(parse).AlarmAsync(parse.GetValue(showId), ct);
            Write(parse, alarm);
        }));
        alarms.Subcommands.Add(show);

        foreach (var (name, step, description) in new[]
        {
            ("ack", "acknowledge", "Acknowledge a raised alarm"),
            ("assign", "assign", "Assign an open alarm to a person or team (--to)"),
            ("clear", "clear", "Clear an open alarm by hand"),
            ("close", "close", "Close a cleared alarm"),
        })
        {
            var id = new Argument<long>("id") { Description = "The alarm's id" };
            var note = new Option<string>("--note") { Description = "Why, for the people after you", Required = true };
            var command = new Command(name, description) { id, note };
            Option<string>? to = null;
            if (step == "assign")
            {
                to = new Option<string>("--to") { Description = "The person or team", Required = true };
                command.Options.Add(to);
            }

            command.SetAction((parse, ct) => run(async () =>
            {
                var alarm = await client(parse).StepAsync(parse.GetValue(id), step, new AlarmStepRequest(parse.GetValue(note), to is null ? null : parse.GetValue(to)), ct);
                Write(parse, alarm);
            }));
            alarms.Subcommands.Add(command);
        }

        return alarms;

        void Write(ParseResult parse, Alarm alarm)
        {
            if (parse.GetValue(json))
                OutputFormat.WriteJson(console, alarm, HealthJson.Default.Alarm);
            else
                HealthOutput.WriteAlarm(console, alarm);
        }
    }

    private static List<KeyValuePair<string, string>> Filters(params (string Name, string? Value)[] values) =>
        values.Where(v => !string.IsNullOrWhiteSpace(v.Value)).Select(v => KeyValuePair.Create(v.Name, v.Value!.Trim())).ToList();
}
