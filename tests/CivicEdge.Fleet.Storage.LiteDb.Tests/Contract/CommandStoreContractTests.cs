using System.Text.Json;
using CivicEdge.Fleet.Contracts.Commands;
using CivicEdge.Fleet.Core.Commands;

namespace CivicEdge.Fleet.Storage.LiteDb.Tests.Contract;

/// <summary>What every <see cref="ICommandStore"/> must do, whatever its engine; a fresh, empty store per test.</summary>
public abstract class CommandStoreContractTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 28, 22, 0, 0, TimeSpan.Zero);

    private ICommandStore? _store;

    protected ICommandStore Store => _store ?? throw new InvalidOperationException("The store is opened in SetUp.");

    protected abstract Task<ICommandStore> OpenEmptyStoreAsync();

    protected abstract Task CloseStoreAsync(ICommandStore store);

    [SetUp]
    public async Task OpenStore() => _store = await OpenEmptyStoreAsync();

    [TearDown]
    public async Task CloseStore()
    {
        if (_store is not null)
            await CloseStoreAsync(_store);
        _store = null;
    }

    [Test]
    public async Task A_command_reads_back_with_every_field_and_its_arguments_as_sent()
    {
        var command = Command("c-001", "slc-0001", "gw-01") with
        {
            State = CommandState.Succeeded,
            Reason = "done",
            Result = Json("""{"point":"dimming_level","value":40.5,"unit":"%"}"""),
            SentAt = T0.AddSeconds(1),
            CompletedAt = T0.AddSeconds(2),
        };

        await Store.AddCommandsAsync([command], CancellationToken.None);
        var read = await Store.FindCommandAsync("c-001", CancellationToken.None);

        Assert.That(read, Is.Not.Null);
        Assert.That(read! with { Arguments = default, Result = null }, Is.EqualTo(command with { Arguments = default, Result = null }));
        Assert.That(read.Arguments.GetRawText(), Is.EqualTo("""{"point":"dimming_level","value":40}"""));
        Assert.That(read.Result!.Value.GetProperty("value").GetDouble(), Is.EqualTo(40.5));
    }

    [Test]
    public async Task A_queued_command_has_no_result_reason_or_times_of_sending()
    {
        await Store.AddCommandsAsync([Command("c-001", "slc-0001", "gw-01")], CancellationToken.None);

        var read = (await Store.FindCommandAsync("c-001", CancellationToken.None))!;

        Assert.That((read.Result, read.Reason, read.SentAt, read.CompletedAt, read.Tenant), Is.EqualTo(((JsonElement?)null, (string?)null, (DateTimeOffset?)null, (DateTimeOffset?)null, "lighting")));
    }

    [Test]
    public async Task A_batch_with_an_id_that_exists_adds_nothing()
    {
        await Store.AddCommandsAsync([Command("c-001", "slc-0001", "gw-01")], CancellationToken.None);

        await Assert.ThrowsAsync<InvalidOperationException>(() =>
            Store.AddCommandsAsync([Command("c-002", "slc-0002", "gw-01"), Command("c-001", "slc-0003", "gw-01")], CancellationToken.None));

        Assert.That(await Store.FindCommandAsync("c-002", CancellationToken.None), Is.Null);
        Assert.That((await Store.FindCommandAsync("c-001", CancellationToken.None))!.Target, Is.EqualTo("slc-0001"));
    }

    [Test]
    public async Task An_unknown_or_empty_id_finds_nothing()
    {
        Assert.That(await Store.FindCommandAsync("nope", CancellationToken.None), Is.Null);
        Assert.That(await Store.FindCommandAsync("", CancellationToken.None), Is.Null);
    }

    [Test]
    public async Task A_gateways_open_commands_list_oldest_first_whatever_the_order_they_were_added_in()
    {
        await Store.AddCommandsAsync(
        [
            Command("c-003", "slc-0001", "gw-01", T0.AddSeconds(3)),
            Command("c-001", "slc-0002", "gw-01", T0.AddSeconds(1)),
            Command("c-002", "slc-0003", "gw-02", T0.AddSeconds(2)),
            Command("c-004", "slc-0001", "gw-01", T0.AddSeconds(4)) with { State = CommandState.Succeeded },
            Command("c-000", "slc-0001", "gw-01", T0.AddSeconds(3)) with { State = CommandState.Sent },
        ], CancellationToken.None);

        var open = await Store.ListCommandsAsync(new CommandQuery { Addressee = "gw-01", States = CommandQuery.Open }, CancellationToken.None);

        Assert.That(open.Select(c => c.Id), Is.EqualTo(new[] { "c-001", "c-000", "c-003" }));
    }

    [Test]
    public async Task Filters_by_target_state_and_expiry_all_hold_and_a_limit_keeps_the_newest()
    {
        await Store.AddCommandsAsync(
        [
            Command("c-001", "slc-0001", "gw-01", T0.AddSeconds(1)),
            Command("c-002", "slc-0001", "gw-01", T0.AddSeconds(2)) with { ExpiresAt = T0.AddHours(2) },
            Command("c-003", "slc-0001", "gw-01", T0.AddSeconds(3)),
            Command("c-004", "slc-0002", "gw-01", T0.AddSeconds(4)),
            Command("c-005", "slc-0001", "gw-01", T0.AddSeconds(5)) with { State = CommandState.Failed, Reason = "timeout" },
        ], CancellationToken.None);

        var byTarget = await Store.ListCommandsAsync(new CommandQuery { Target = "slc-0001", Limit = 2 }, CancellationToken.None);
        var expiring = await Store.ListCommandsAsync(new CommandQuery { Target = "slc-0001", States = [CommandState.Queued], ExpiresBy = T0.AddHours(1) }, CancellationToken.None);
        var all = await Store.ListCommandsAsync(CommandQuery.All, CancellationToken.None);

        Assert.That(byTarget.Select(c => c.Id), Is.EqualTo(new[] { "c-003", "c-005" }));
        Assert.That(expiring.Select(c => c.Id), Is.EqualTo(new[] { "c-001", "c-003" }));
        Assert.That(all, Has.Count.EqualTo(5));
    }

    [Test]
    public async Task The_open_commands_of_every_gateway_are_found_by_their_states_alone_and_leave_when_they_end()
    {
        var sent = Command("c-002", "slc-0002", "gw-02", T0.AddSeconds(2)) with { State = CommandState.Sent, SentAt = T0.AddSeconds(2) };
        await Store.AddCommandsAsync(
        [
            Command("c-001", "slc-0001", "gw-01", T0.AddSeconds(1)),
            sent,
            Command("c-003", "slc-0003", "gw-03", T0.AddSeconds(3)) with { State = CommandState.Expired, Reason = "expired" },
        ], CancellationToken.None);
        await Store.TryUpdateCommandAsync(sent with { State = CommandState.Succeeded, CompletedAt = T0.AddSeconds(4) }, CommandState.Sent, CancellationToken.None);

        var open = await Store.ListCommandsAsync(new CommandQuery { States = CommandQuery.Open }, CancellationToken.None);

        Assert.That(open.Select(c => c.Id), Is.EqualTo(new[] { "c-001" }));
    }

    [Test]
    public async Task An_update_holds_only_while_the_state_is_the_one_expected()
    {
        var queued = Command("c-001", "slc-0001", "gw-01");
        await Store.AddCommandsAsync([queued], CancellationToken.None);
        var sent = queued with { State = CommandState.Sent, SentAt = T0.AddSeconds(1) };
        var cancelled = queued with { State = CommandState.Cancelled, Reason = "by operator", CompletedAt = T0.AddSeconds(1) };

        var first = await Store.TryUpdateCommandAsync(sent, CommandState.Queued, CancellationToken.None);
        var second = await Store.TryUpdateCommandAsync(cancelled, CommandState.Queued, CancellationToken.None);

        Assert.That((first, second), Is.EqualTo((true, false)));
        Assert.That((await Store.FindCommandAsync("c-001", CancellationToken.None))!.State, Is.EqualTo(CommandState.Sent));
    }

    [Test]
    public async Task An_update_of_an_unknown_command_changes_nothing()
    {
        var updated = await Store.TryUpdateCommandAsync(Command("c-404", "slc-0001", "gw-01"), CommandState.Queued, CancellationToken.None);

        Assert.That(updated, Is.False);
        Assert.That(await Store.FindCommandAsync("c-404", CancellationToken.None), Is.Null);
    }

    private static CommandRecord Command(string id, string target, string addressee, DateTimeOffset? createdAt = null) => new(
        id,
        target,
        addressee,
        "lighting",
        "write",
        Json("""{"point":"dimming_level","value":40}"""),
        "key:k7x2m9qa (dispatch)",
        createdAt ?? T0,
        (createdAt ?? T0).AddMinutes(30),
        CommandState.Queued,
        null,
        null,
        null,
        null);

    private static JsonElement Json(string text)
    {
        using var document = JsonDocument.Parse(text);
        return document.RootElement.Clone();
    }
}
