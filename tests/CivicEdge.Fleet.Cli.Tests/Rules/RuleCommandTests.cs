using System.Text.Json;
using Spectre.Console.Testing;

namespace CivicEdge.Fleet.Cli.Tests.Rules;

/// <summary><c>civic rules check</c> and <c>civic rules test --replay</c> over the shipped profiles and templates.</summary>
[Category("Unit")]
public sealed class RuleCommandTests
{
    private static readonly string Root = FindRoot();
    private static readonly string Profiles = Path.Combine(Root, "hardware", "profiles");
    private static readonly string LampFailure = Path.Combine(Root, "hardware", "rules", "pole-lamp-failure.yaml");

    private string _directory = null!;

    [SetUp]
    public void SetUp() => _directory = Directory.CreateTempSubdirectory("civic-rules-").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(_directory, recursive: true);

    [Test]
    public async Task Replaying_a_fleet_telemetry_export_prints_when_the_lamp_failure_would_have_been_raised_and_cleared()
    {
        var recording = Write("lamp.csv", """
            device,point,time,value,unit,quantity,quality,source,stream,seq
            slc-1,lamp_relay,2026-11-28T18:00:00Z,1,1,switch_state,good,gw-1,telemetry,1
            slc-1,lamp_current,2026-11-28T18:00:00Z,0.42,A,current,good,gw-1,telemetry,1
            slc-1,lamp_current,2026-11-28T18:10:00Z,0,A,current,good,gw-1,telemetry,2
            slc-1,lamp_current,2026-11-28T18:20:00Z,0.41,A,current,good,gw-1,telemetry,3
            """);

        var (exit, output) = await RunAsync("rules", "test", LampFailure, "--replay", recording, "--profiles", Profiles, "--json");

        Assert.That(exit, Is.Zero, output);
        using var intents = JsonDocument.Parse(output);
        Assert.That(intents.RootElement.EnumerateArray().Select(i => (i.GetProperty("time").GetDateTimeOffset(), i.GetProperty("rule").GetString(), i.GetProperty("intent").GetString())),
            Is.EqualTo(new[]
            {
                (DateTimeOffset.Parse("2026-11-28T18:10:15Z", System.Globalization.CultureInfo.InvariantCulture), "lamp-failure", "raise"),
                (DateTimeOffset.Parse("2026-11-28T18:20:00Z", System.Globalization.CultureInfo.InvariantCulture), "lamp-failure", "clear"),
            }), "raised once the dark lamp held for 15 s; cleared by the next reading with current");
    }

    [Test]
    public async Task A_json_lines_recording_with_a_bad_reading_keeps_the_value_unknown_and_raises_nothing()
    {
        var recording = Write("lamp.jsonl", """
            {"time":"2026-11-28T18:00:00Z","device":"slc-1","point":"lamp_relay","value":1}
            {"time":"2026-11-28T18:00:00Z","device":"slc-1","point":"lamp_current","value":0,"quality":"commError"}
            """);

        var (exit, output) = await RunAsync("rules", "test", LampFailure, "--replay", recording, "--profiles", Profiles);

        Assert.That(exit, Is.Zero, output);
        Assert.That(output, Does.Contain("pole-lamp-failure version 1 over 2 readings").And.Contain(": 0 intents"));
    }

    [Test]
    public async Task A_recording_line_that_is_not_a_reading_is_named_with_its_line_and_what_was_expected()
    {
        var recording = Write("bad.csv", """
            time,device,point,value
            2026-11-28T18:00:00Z,slc-1,lamp_current,lots
            """);

        var (exit, output) = await RunAsync("rules", "test", LampFailure, "--replay", recording, "--profiles", Profiles);

        Assert.That(exit, Is.EqualTo(1));
        Assert.That(output, Does.Contain("--replay: bad.csv:2: value: expected a number; found 'lots'"));
    }

    [Test]
    public async Task Check_lists_every_problem_of_a_bad_rule_set_with_line_and_field_and_exits_non_zero()
    {
        var bad = Write("bad.yaml", """
            schema: civicedge.rules/v1
            id: bad
            version: 1
            devices:
              lamp: { model: civicedge-slc1 }
            rules:
              - id: r
                when: lamp.watts > 1
                then:
                  - write: { point: lamp.lamp_current, value: 1 }
            """);

        var (exit, output) = await RunAsync("rules", "check", LampFailure, bad, "--profiles", Profiles);

        Assert.That(exit, Is.EqualTo(1));
        Assert.That(output, Does.Contain("ok " + LampFailure));
        Assert.That(output, Does.Contain("bad.yaml:8:").And.Contain("found 'watts'"));
        Assert.That(output, Does.Contain("bad.yaml:10:").And.Contain("lamp_current"));
    }

    private string Write(string name, string text)
    {
        var path = Path.Combine(_directory, name);
        File.WriteAllText(path, text);
        return path;
    }

    private static async Task<(int Exit, string Output)> RunAsync(params string[] args)
    {
        var console = new TestConsole().Width(250);
        var root = CivicCommandLine.Build(console, baseAddress => new HttpClient { BaseAddress = baseAddress });
        var exit = await root.Parse(args).InvokeAsync(new System.CommandLine.InvocationConfiguration { Output = TextWriter.Null, Error = TextWriter.Null });
        return (exit, console.Output);
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(TestContext.CurrentContext.TestDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "CivicEdge.slnx")))
                return dir.FullName;
        }

        throw new InvalidOperationException("No CivicEdge.slnx above the test directory.");
    }
}
