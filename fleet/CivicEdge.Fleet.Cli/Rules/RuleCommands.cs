using System.CommandLine;
using System.Text;
using System.Text.Json;
using CivicEdge.Fleet.Cli.Ledger;
using CivicEdge.Hardware;
using CivicEdge.Rules.Documents;
using CivicEdge.Rules.Evaluation;
using Spectre.Console;

namespace CivicEdge.Fleet.Cli.Rules;

/// <summary>
/// <c>civic rules check FILE…</c> validates rule sets against the hardware profiles, as a gateway would before running
/// them; <c>civic rules test FILE --replay RECORDING</c> runs one over recorded readings on a virtual clock and prints
/// what it would have done. Both work offline, without a fleet.
/// </summary>
public static class RuleCommands
{
    /// <summary>Exit code of a rule set that is invalid, or of input that cannot be read.</summary>
    public const int InvalidExitCode = 1;

    public static Command Build(IAnsiConsole console, Option<bool> json)
    {
        ArgumentNullException.ThrowIfNull(console);
        ArgumentNullException.ThrowIfNull(json);
        var rules = new Command("rules", "Edge rule sets: validate them, and replay recorded readings through one");
        rules.Subcommands.Add(BuildCheck(console));
        rules.Subcommands.Add(BuildTest(console, json));
        return rules;
    }

    private static Option<string?> ProfilesOption() => new("--profiles")
    {
        Description = "The hardware profiles directory (default: hardware/profiles found above the working directory or the executable)",
    };

    private static Command BuildCheck(IAnsiConsole console)
    {
        var files = new Argument<string[]>("file") { Description = "Rule-set YAML files", Arity = ArgumentArity.OneOrMore };
        var profiles = ProfilesOption();
        var check = new Command("check", "Validate rule sets against the hardware profiles; every problem with file, line, column and field") { files, profiles };
        check.SetAction(parse =>
        {
            if (Catalog(console, parse.GetValue(profiles)) is not { } catalog)
                return InvalidExitCode;
            var invalid = 0;
            foreach (var file in parse.GetValue(files) ?? [])
            {
                if (Load(console, file, catalog) is { } ruleSet)
                    console.MarkupLineInterpolated($"[green]ok[/] {file}: {ruleSet.Id} version {ruleSet.Version}, {ruleSet.Rules.Count} rules over {ruleSet.Devices.Count} devices");
                else
                    invalid++;
            }

            return invalid == 0 ? 0 : InvalidExitCode;
        });
        return check;
    }

    private static Command BuildTest(IAnsiConsole console, Option<bool> json)
    {
        var file = new Argument<string>("file") { Description = "The rule-set YAML file" };
        var replay = new Option<string>("--replay")
        {
            Description = "Recorded readings: CSV or JSON with time, device, point, value[, quality] (the fleet's telemetry export reads as it is)",
            Required = true,
        };
        var profiles = ProfilesOption();
        var latitude = new Option<double>("--lat") { Description = "The gateway's latitude, for sun triggers (default 0)" };
        var longitude = new Option<double>("--lon") { Description = "The gateway's longitude (default 0)" };
        var zone = new Option<string>("--tz") { Description = "The IANA time zone cron schedules are read in (default UTC)", DefaultValueFactory = _ => "UTC" };
        var bind = new Option<string[]>("--bind")
        {
            Description = "Bind a template device to a device code, e.g. --bind lamp=slc-0001; repeat for more. A template device left unbound takes the recording's only device.",
            AllowMultipleArgumentsPerToken = true,
        };
        var tick = new Option<string>("--tick") { Description = "How often the replay ticks the engine, as the gateway's Rules:TickInterval (default 1s)", DefaultValueFactory = _ => "1s" };
        var test = new Command("test", "Run a rule set over recorded readings on a virtual clock and print what it would have done (time, rule, intent)")
        {
            file, replay, profiles, latitude, longitude, zone, bind, tick,
        };
        test.SetAction(parse =>
        {
            if (Catalog(console, parse.GetValue(profiles)) is not { } catalog || Load(console, parse.GetRequiredValue(file), catalog) is not { } ruleSet)
                return InvalidExitCode;
            if (!CliDuration.TryParse(parse.GetValue(tick), out var tickInterval) || tickInterval <= TimeSpan.Zero)
                return Fail(console, $"--tick: expected a positive duration such as 1s or 500ms; found '{parse.GetValue(tick)}'");

            TimeZoneInfo timeZone;
            try
            {
                timeZone = TimeZoneInfo.FindSystemTimeZoneById(parse.GetRequiredValue(zone));
            }
            catch (Exception ex) when (ex is TimeZoneNotFoundException or InvalidTimeZoneException)
            {
                return Fail(console, $"--tz: expected an IANA time zone such as UTC or Asia/Shanghai; found '{parse.GetValue(zone)}'");
            }

            IReadOnlyList<RecordedReading> readings;
            try
            {
                readings = Recording.Read(parse.GetRequiredValue(replay));
            }
            catch (Exception ex) when (ex is FormatException or IOException or UnauthorizedAccessException)
            {
                return Fail(console, $"--replay: {ex.Message}");
            }

            var codes = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var pair in parse.GetValue(bind) ?? [])
            {
                var parts = pair.Split('=', 2, StringSplitOptions.TrimEntries);
                if (parts.Length != 2 || parts[0].Length == 0 || parts[1].Length == 0 || ruleSet.Devices.All(d => d.Name != parts[0]))
                    return Fail(console, $"--bind: expected name=code with a device name of the rule set ({string.Join(", ", ruleSet.Devices.Select(d => d.Name))}); found '{pair}'");
                codes[parts[0]] = parts[1];
            }

            var recorded = readings.Select(r => r.Device).Distinct(StringComparer.Ordinal).ToList();
            foreach (var template in ruleSet.Devices.Where(d => d.DeviceId is null && !codes.ContainsKey(d.Name)))
            {
                if (recorded.Count != 1)
                    return Fail(console, $"--bind: device '{template.Name}' ({template.Model}) has no id; expected --bind {template.Name}=CODE, since the recording holds {recorded.Count} devices ({string.Join(", ", recorded)})");
                codes[template.Name] = recorded[0];
            }

            var options = new RuleEngineOptions { Latitude = parse.GetValue(latitude), Longitude = parse.GetValue(longitude), TimeZone = timeZone };
            try
            {
                options.Validate();
            }
            catch (ArgumentException ex)
            {
                return Fail(console, ex.Message);
            }

            var intents = RuleReplay.Run(ruleSet, new DeviceBinding(codes), options, readings, tickInterval, TimeSpan.FromMinutes(5) + ruleSet.Rules.Select(r => r.For).DefaultIfEmpty().Max());
            if (parse.GetValue(json))
                WriteJson(console, intents);
            else
                WriteTable(console, ruleSet, readings, intents);
            return 0;
        });
        return test;
    }

    private static ProfilePointCatalog? Catalog(IAnsiConsole console, string? directory)
    {
        try
        {
            return new ProfilePointCatalog(ProfileLoader.LoadDirectory(directory ?? ProfileDirectory.Locate()));
        }
        catch (Exception ex) when (ex is ProfileException or IOException or UnauthorizedAccessException)
        {
            console.MarkupLineInterpolated($"[red]error:[/] --profiles: {ex.Message}");
            return null;
        }
    }

    private static RuleSet? Load(IAnsiConsole console, string file, IPointCatalog catalog)
    {
        try
        {
            return RuleSetLoader.LoadFile(file, catalog);
        }
        catch (RuleSetException ex)
        {
            console.MarkupLineInterpolated($"[red]invalid[/] {file}:");
            foreach (var error in ex.Errors)
                console.WriteLine($"  {error}");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            console.MarkupLineInterpolated($"[red]error:[/] {file}: {ex.Message}");
        }

        return null;
    }

    private static int Fail(IAnsiConsole console, string message)
    {
        console.MarkupLineInterpolated($"[red]error:[/] {message}");
        return InvalidExitCode;
    }

    private static void WriteTable(IAnsiConsole console, RuleSet ruleSet, IReadOnlyList<RecordedReading> readings, IReadOnlyList<RuleIntent> intents)
    {
        console.MarkupLineInterpolated($"{ruleSet.Id} version {ruleSet.Version} over {readings.Count} readings from {readings.FirstOrDefault()?.Time:O} to {readings.LastOrDefault()?.Time:O}: {intents.Count} intents");
        if (intents.Count == 0)
            return;
        var table = new Table().AddColumns("time", "rule", "intent");
        foreach (var intent in intents)
            table.AddRow(Markup.Escape(intent.At.ToString("O", System.Globalization.CultureInfo.InvariantCulture)), Markup.Escape(intent.RuleId), Markup.Escape(RuleReplay.Describe(intent)));
        console.Write(table);
    }

    private static void WriteJson(IAnsiConsole console, IReadOnlyList<RuleIntent> intents)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            writer.WriteStartArray();
            foreach (var intent in intents)
            {
                writer.WriteStartObject();
                writer.WriteString("time", intent.At);
                writer.WriteString("rule", intent.RuleId);
                writer.WriteString("intent", RuleReplay.Kind(intent));
                writer.WriteString("description", RuleReplay.Describe(intent));
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
        }

        console.Profile.Out.Writer.WriteLine(Encoding.UTF8.GetString(buffer.ToArray()));
    }
}
