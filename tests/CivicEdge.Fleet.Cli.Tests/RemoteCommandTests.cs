using System.Net;
using System.Text.Json;
using CivicEdge.Fleet.Cli.Commands;
using Spectre.Console.Testing;

namespace CivicEdge.Fleet.Cli.Tests;

[Category("Unit")]
public sealed class RemoteCommandTests
{
    private const string Succeeded = """
        {"commands":[{"id":"0193c0de01","target":"slc-0001","addressee":"gw-01","tenant":"lighting","name":"dim","arguments":{"point":"dimming_level","level":40},
          "sentBy":"key:k1 (night)","createdAt":"2026-11-28T22:00:00+00:00","expiresAt":"2026-11-28T22:10:00+00:00","state":"succeeded","reason":null,
          "result":{"point":"dimming_level","value":40,"unit":"%"},"sentAt":"2026-11-28T22:00:00.1+00:00","completedAt":"2026-11-28T22:00:00.3+00:00"}],"complete":true}
        """;

    private const string Rejected = """
        {"commands":[{"id":"0193c0de02","target":"slc-0001","addressee":"gw-01","tenant":"lighting","name":"write","arguments":{"point":"lamp_voltage","value":1},
          "sentBy":"key:k1 (night)","createdAt":"2026-11-28T22:00:00+00:00","expiresAt":"2026-11-28T22:10:00+00:00","state":"rejected","reason":"point: lamp_voltage is not writable",
          "result":null,"sentAt":"2026-11-28T22:00:00.1+00:00","completedAt":"2026-11-28T22:00:00.3+00:00"}],"complete":true}
        """;

    [Test]
    public async Task A_command_to_one_device_sends_its_arguments_typed_waits_and_prints_the_result()
    {
        var fleet = new StubFleet().Answer("/api/commands?wait=10", Succeeded);

        var (exit, output) = await RunAsync(fleet, "command", "slc-0001", "dim", "--arg", "point=dimming_level", "--arg", "level=40", "--wait", "10s");

        Assert.That(exit, Is.Zero);
        Assert.That(output, Does.Contain("0193c0de01").And.Contain("succeeded").And.Contain("\"value\":40"));
        using var sent = JsonDocument.Parse(fleet.Sent.Single().Body!);
        Assert.That(sent.RootElement.GetProperty("device").GetString(), Is.EqualTo("slc-0001"));
        Assert.That(sent.RootElement.GetProperty("name").GetString(), Is.EqualTo("dim"));
        Assert.That(sent.RootElement.GetProperty("arguments").GetRawText(), Is.EqualTo("""{"point":"dimming_level","level":40}"""));
    }

    [Test]
    public async Task A_command_that_ended_otherwise_than_succeeded_exits_non_zero_with_the_reason()
    {
        var fleet = new StubFleet().Answer("/api/commands?wait=5", Rejected);

        var (exit, output) = await RunAsync(fleet, "command", "slc-0001", "write", "--arg", "point=lamp_voltage", "--arg", "value=1", "--wait", "5s");

        Assert.That(exit, Is.EqualTo(RemoteCommands.NotSucceededExitCode));
        Assert.That(output, Does.Contain("rejected").And.Contain("lamp_voltage is not writable"));
    }

    [Test]
    public async Task A_ledger_query_sends_the_filters_and_only_the_command_name()
    {
        var fleet = new StubFleet().Answer("/api/commands", Succeeded, HttpStatusCode.Accepted);

        var (exit, _) = await RunAsync(fleet, "command", "--tag", "ring-road", "--kind", "lamp", "--district", "Jinshui", "switch", "--arg", "on=false", "--json");

        Assert.That(exit, Is.Zero);
        using var sent = JsonDocument.Parse(fleet.Sent.Single().Body!);
        var query = sent.RootElement.GetProperty("query");
        Assert.That(query.GetProperty("tags")[0].GetString(), Is.EqualTo("ring-road"));
        Assert.That((query.GetProperty("kind").GetString(), query.GetProperty("district").GetString()), Is.EqualTo(("lamp", "Jinshui")));
        Assert.That(sent.RootElement.GetProperty("device").ValueKind, Is.EqualTo(JsonValueKind.Null));
        Assert.That(sent.RootElement.GetProperty("arguments").GetProperty("on").GetBoolean(), Is.False);
    }

    [Test]
    public async Task Several_comma_separated_devices_become_a_list_of_targets()
    {
        var fleet = new StubFleet().Answer("/api/commands", Succeeded, HttpStatusCode.Accepted);

        await RunAsync(fleet, "command", "slc-0001,slc-0002", "read", "--arg", "point=lamp_voltage");

        using var sent = JsonDocument.Parse(fleet.Sent.Single().Body!);
        Assert.That(sent.RootElement.GetProperty("devices").EnumerateArray().Select(d => d.GetString()), Is.EqualTo(new[] { "slc-0001", "slc-0002" }));
    }

    [TestCase(new[] { "command", "slc-0001" }, "Expected a device and a command name")]
    [TestCase(new[] { "command", "--tag", "x", "slc-0001", "dim" }, "expected only the command name")]
    [TestCase(new[] { "command", "slc-0001", "dim", "--wait", "soon" }, "--wait: expected a duration")]
    [TestCase(new[] { "command", "--kind", "toaster", "dim" }, "--kind: expected one of")]
    public async Task A_command_line_that_cannot_be_a_command_asks_nothing_of_the_fleet(string[] args, string expected)
    {
        var fleet = new StubFleet();
        var console = new TestConsole().Width(250);
        var errors = new StringWriter();
        var root = CivicCommandLine.Build(console, baseAddress => new HttpClient(fleet) { BaseAddress = baseAddress });

        var exit = await root.Parse(args).InvokeAsync(new System.CommandLine.InvocationConfiguration { Output = TextWriter.Null, Error = errors });

        Assert.That(exit, Is.Not.Zero);
        Assert.That(console.Output + errors, Does.Contain(expected));
        Assert.That(fleet.Requests, Is.Empty);
    }

    [Test]
    public async Task An_argument_without_a_value_is_refused_before_anything_is_sent()
    {
        var fleet = new StubFleet();

        var (exit, output) = await RunAsync(fleet, "command", "slc-0001", "dim", "--arg", "level");

        Assert.That(exit, Is.Not.Zero);
        Assert.That(output, Does.Contain("--arg: expected key=value, found 'level'"));
        Assert.That(fleet.Requests, Is.Empty);
    }

    [Test]
    public async Task List_show_and_cancel_reach_their_endpoints()
    {
        var record = JsonDocument.Parse(Succeeded).RootElement.GetProperty("commands")[0].GetRawText();
        var fleet = new StubFleet()
            .Answer("/api/commands?device=slc-0001&state=queued%2Csent", $"[{record}]")
            .Answer("/api/commands/0193c0de01", record)
            .Answer("/api/commands/0193c0de01/cancel", record);

        var (listed, listOutput) = await RunAsync(fleet, "command", "list", "--device", "slc-0001", "--state", "queued,sent");
        var (shown, showOutput) = await RunAsync(fleet, "command", "show", "0193c0de01");
        var (cancelled, _) = await RunAsync(fleet, "command", "cancel", "0193c0de01");

        Assert.That((listed, shown, cancelled), Is.EqualTo((0, 0, 0)));
        Assert.That(listOutput, Does.Contain("slc-0001").And.Contain("gw-01"));
        Assert.That(showOutput, Does.Contain("sent by").And.Contain("key:k1 (night)"));
        Assert.That(fleet.Sent[^1].Method, Is.EqualTo(HttpMethod.Post));
    }

    private static async Task<(int Exit, string Output)> RunAsync(StubFleet fleet, params string[] args)
    {
        var console = new TestConsole().Width(250);
        var root = CivicCommandLine.Build(console, baseAddress => new HttpClient(fleet) { BaseAddress = baseAddress });
        var exit = await root.Parse(args).InvokeAsync(new System.CommandLine.InvocationConfiguration { Output = TextWriter.Null, Error = TextWriter.Null });
        return (exit, console.Output);
    }
}
