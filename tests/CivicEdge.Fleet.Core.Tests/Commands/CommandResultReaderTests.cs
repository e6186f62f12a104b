using System.Buffers;
using System.Text;
using CivicEdge.Fleet.Contracts.Commands;
using CivicEdge.Fleet.Core.Commands;

namespace CivicEdge.Fleet.Core.Tests.Commands;

[Category("Unit")]
public sealed class CommandResultReaderTests
{
    [Test]
    public void A_well_formed_result_is_read()
    {
        var result = Read("""{"id":"c1","target":"slc-1","status":"succeeded","reason":null,"result":{"value":1},"completedAt":"2026-11-28T22:00:00Z"}""", out var problem);

        Assert.That(problem, Is.Null);
        Assert.That((result!.Id, result.Status), Is.EqualTo(("c1", CommandStatus.Succeeded)));
    }

    [TestCase("", "found an empty message")]
    [TestCase("not json", "expected a command result as JSON")]
    [TestCase("null", "found null")]
    [TestCase("""{"id":"","target":"t","status":"succeeded","reason":null,"result":null,"completedAt":"2026-11-28T22:00:00Z"}""", "id: expected the command id")]
    [TestCase("""{"id":"c1","target":"t","status":"failed","reason":" ","result":null,"completedAt":"2026-11-28T22:00:00Z"}""", "reason: expected why command c1 ended Failed")]
    [TestCase("""{"id":"c1","target":"t","status":"exploded","reason":"x","result":null,"completedAt":"2026-11-28T22:00:00Z"}""", "expected a command result as JSON")]
    public void A_malformed_result_is_refused_saying_what_was_expected(string payload, string expected)
    {
        var result = Read(payload, out var problem);

        Assert.That(result, Is.Null);
        Assert.That(problem, Does.Contain(expected));
    }

    [TestCase(CommandStatus.Succeeded, CommandState.Succeeded)]
    [TestCase(CommandStatus.Failed, CommandState.Failed)]
    [TestCase(CommandStatus.Rejected, CommandState.Rejected)]
    [TestCase(CommandStatus.Expired, CommandState.Expired)]
    [TestCase(CommandStatus.UnknownTarget, CommandState.Rejected)]
    public void Each_status_puts_the_command_in_its_final_state(CommandStatus status, CommandState expected)
    {
        var (state, _) = CommandOutcomes.Of(new CommandResult("c1", "t", status, "why", null, DateTimeOffset.UnixEpoch));

        Assert.That(state, Is.EqualTo(expected));
    }

    private static CommandResult? Read(string payload, out string? problem) =>
        CommandResultReader.Read(new ReadOnlySequence<byte>(Encoding.UTF8.GetBytes(payload)), out problem);
}
