using System.Text.Json;
using CivicEdge.Fleet.Contracts.Commands;

namespace CivicEdge.Fleet.Contracts.Tests;

/// <summary>Commands and their results, pinned on the wire.</summary>
[Category("Unit")]
public sealed class CommandWireFormatTests
{
    private static readonly DateTimeOffset At = new(2026, 11, 28, 22, 0, 0, TimeSpan.Zero);

    [Test]
    public void A_command_request_carries_its_id_target_name_arguments_and_expiry()
    {
        using var arguments = JsonDocument.Parse("""{"point":"dimming_level","value":40}""");
        var request = new CommandRequest("0193c0de", "slc-0001", "write", arguments.RootElement, At);

        var json = JsonSerializer.Serialize(request, CommandsJson.Default.CommandRequest);

        Assert.That(json, Is.EqualTo(
            """{"id":"0193c0de","target":"slc-0001","name":"write","arguments":{"point":"dimming_level","value":40},"expiresAt":"2026-11-28T22:00:00+00:00"}"""));
    }

    [Test]
    public void A_command_result_names_its_status_in_camel_case_and_keeps_the_devices_answer()
    {
        using var answer = JsonDocument.Parse("""{"point":"lamp_relay","value":1,"unit":"1"}""");
        var result = new CommandResult("0193c0de", "slc-0001", CommandStatus.UnknownTarget, "no device slc-0001 on gw-01", answer.RootElement, At);

        var json = JsonSerializer.Serialize(result, CommandsJson.Default.CommandResult);

        Assert.That(json, Is.EqualTo(
            """{"id":"0193c0de","target":"slc-0001","status":"unknownTarget","reason":"no device slc-0001 on gw-01","result":{"point":"lamp_relay","value":1,"unit":"1"},"completedAt":"2026-11-28T22:00:00+00:00"}"""));
        Assert.That(JsonSerializer.Deserialize(json, CommandsJson.Default.CommandResult)!.Status, Is.EqualTo(CommandStatus.UnknownTarget));
    }

    [Test]
    public void A_result_missing_a_field_is_refused_rather_than_read_with_a_default()
    {
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize("""{"id":"x","target":"t","status":"succeeded","result":null}""", CommandsJson.Default.CommandResult));
    }

    [Test]
    public void The_command_and_results_topics_sit_under_the_gateways_code()
    {
        Assert.That((Topics.Commands("gw-01"), Topics.Results("gw-01"), Topics.AllResults), Is.EqualTo(("civic/v1/gw-01/commands", "civic/v1/gw-01/results", "civic/v1/+/results")));
        Assert.That(Topics.TryParse("civic/v1/gw-01/results", out var source, out var kind) && source == "gw-01" && kind == "results", Is.True);
    }
}
