using System.Text;
using System.Text.Json;
using CivicEdge.Fleet.Contracts;
using CivicEdge.Fleet.Contracts.Commands;
using CivicEdge.Gateway.Commands;
using CivicEdge.Gateway.Configuration;
using CivicEdge.Gateway.Tests.Support;
using CivicEdge.Gateway.Uplink;
using Microsoft.Extensions.Logging.Abstractions;

namespace CivicEdge.Gateway.Tests.Commands;

/// <summary>The gateway's command topic: subscribing on connect, answering on the response topic, once per id.</summary>
[Category("Integration")]
public sealed class CommandServiceTests
{
    private static readonly string CommandsTopic = Topics.Commands(CommandRig.GatewayId);

    private CommandRig _rig = null!;
    private CommandService _service = null!;
    private FakeUplinkSession _session = null!;
    private CancellationTokenSource _timeout = null!;

    [SetUp]
    public async Task SetUp()
    {
        _timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        _rig = await CommandRig.StartAsync();
        _service = await StartServiceAsync();
    }

    private async Task<CommandService> StartServiceAsync()
    {
        var uplink = new UplinkState(NullLogger<UplinkState>.Instance);
        var service = new CommandService(
            uplink,
            _rig.Executor,
            new CommandJournal(_rig.Database, _rig.Options.RememberedCommands),
            Microsoft.Extensions.Options.Options.Create(new GatewayOptions { Id = CommandRig.GatewayId }),
            Microsoft.Extensions.Options.Options.Create(_rig.Options),
            TimeProvider.System,
            NullLogger<CommandService>.Instance);
        await service.StartAsync(CancellationToken.None);
        _session = new FakeUplinkSession();
        await uplink.ConnectedAsync(_session, CancellationToken.None);
        return service;
    }

    [TearDown]
    public async Task TearDown()
    {
        await _service.StopAsync(CancellationToken.None);
        _service.Dispose();
        await _session.DisposeAsync();
        await _rig.DisposeAsync();
        _timeout.Dispose();
    }

    [Test]
    public async Task On_connecting_the_gateway_subscribes_to_its_command_topic_and_answers_with_the_correlation_data()
    {
        Assert.That(_session.HasRequestSubscription(CommandsTopic), Is.True);

        await DeliverAsync(Request("c-1", CommandRig.Pole, "switch", """{"point":"cabinet_light","on":true}"""));
        var (topic, result, correlation) = await NextResultAsync();

        Assert.That(topic, Is.EqualTo("civic/v1/gw-cmd/results"));
        Assert.That(Encoding.UTF8.GetString(correlation), Is.EqualTo("c-1"));
        Assert.That((result.Id, result.Target, result.Status), Is.EqualTo(("c-1", CommandRig.Pole, CommandStatus.Succeeded)));
        Assert.That(_rig.Outputs.State("cabinet_light").Value, Is.EqualTo(1));
    }

    [Test]
    public async Task A_command_delivered_twice_runs_once_and_both_deliveries_get_the_same_result()
    {
        var request = Request("c-2", CommandRig.Lamp, "write", """{"point":"dimming_level","value":25}""");

        await DeliverAsync(request);
        var first = await NextResultAsync();
        _rig.Bank.Write(Protocols.Modbus.RegisterTable.HoldingRegisters, 0, [99]);
        await DeliverAsync(request);
        var second = await NextResultAsync();

        Assert.That(_service.Executed, Is.EqualTo(1));
        Assert.That((second.Result.Result!.Value.GetRawText(), second.Result.CompletedAt), Is.EqualTo((first.Result.Result!.Value.GetRawText(), first.Result.CompletedAt)));
        var register = new ushort[1];
        _rig.Bank.Read(Protocols.Modbus.RegisterTable.HoldingRegisters, 0, register);
        Assert.That(register[0], Is.EqualTo(99), "not written again");
    }

    [Test]
    public async Task A_command_repeated_after_the_gateway_restarted_is_answered_from_the_journal_and_not_run_again()
    {
        var request = Request("c-6", CommandRig.Pole, "switch", """{"point":"cabinet_light","on":true}""");
        await DeliverAsync(request);
        var first = await NextResultAsync();
        await _rig.Outputs.SwitchAsync("cabinet_light", on: false, CancellationToken.None);

        await _service.StopAsync(CancellationToken.None);
        _service.Dispose();
        await _session.DisposeAsync();
        _service = await StartServiceAsync();
        await DeliverAsync(request);
        var second = await NextResultAsync();

        Assert.That(_service.Executed, Is.Zero);
        Assert.That(second.Result.CompletedAt, Is.EqualTo(first.Result.CompletedAt));
        Assert.That(_rig.Outputs.State("cabinet_light").Value, Is.Zero, "not switched on again");
    }

    [Test]
    public void The_journal_forgets_the_oldest_results_beyond_its_capacity()
    {
        var journal = new CommandJournal(_rig.Database, capacity: 2);

        journal.Record("a", [1]);
        journal.Record("b", [2]);
        journal.Record("c", [3]);

        Assert.That((journal.Find("a"), journal.Find("b"), journal.Find("c")), Is.EqualTo(((byte[]?)null, new byte[] { 2 }, new byte[] { 3 })));
    }

    [Test]
    public async Task A_command_past_its_expiry_is_answered_expired_and_not_run()
    {
        await DeliverAsync(Request("c-3", CommandRig.Pole, "switch", """{"point":"cabinet_light","on":true}""", DateTimeOffset.UtcNow.AddSeconds(-1)));

        var (_, result, _) = await NextResultAsync();

        Assert.That(result.Status, Is.EqualTo(CommandStatus.Expired));
        Assert.That(_service.Executed, Is.Zero);
        Assert.That(_rig.Outputs.State("cabinet_light").Value, Is.Zero);
    }

    [Test]
    public async Task A_malformed_command_is_rejected_under_the_id_of_its_correlation_data()
    {
        await _session.DeliverRequestAsync(CommandsTopic, Encoding.UTF8.GetBytes("""{"id":"c-4","name":"write"}"""), Topics.Results(CommandRig.GatewayId), Encoding.UTF8.GetBytes("c-4"));

        var (_, result, _) = await NextResultAsync();

        Assert.That((result.Id, result.Status), Is.EqualTo(("c-4", CommandStatus.Rejected)));
        Assert.That(result.Reason, Does.StartWith("expected a command as JSON"));
    }

    [Test]
    public async Task A_response_topic_outside_the_gateways_own_is_replaced_by_its_results_topic()
    {
        await _session.DeliverRequestAsync(CommandsTopic, Payload(Request("c-5", CommandRig.Lamp, "read", """{"point":"lamp_voltage"}""")), "civic/v1/gw-other/results", Encoding.UTF8.GetBytes("c-5"));

        var (topic, result, _) = await NextResultAsync();

        Assert.That(topic, Is.EqualTo("civic/v1/gw-cmd/results"));
        Assert.That(result.Result!.Value.GetProperty("value").GetDouble(), Is.EqualTo(230.1).Within(1e-9));
    }

    private static CommandRequest Request(string id, string target, string name, string arguments, DateTimeOffset? expiresAt = null)
    {
        using var document = JsonDocument.Parse(arguments);
        return new CommandRequest(id, target, name, document.RootElement.Clone(), expiresAt ?? DateTimeOffset.UtcNow.AddMinutes(1));
    }

    private static byte[] Payload(CommandRequest request) => JsonSerializer.SerializeToUtf8Bytes(request, CommandsJson.Default.CommandRequest);

    private Task DeliverAsync(CommandRequest request) =>
        _session.DeliverRequestAsync(CommandsTopic, Payload(request), Topics.Results(CommandRig.GatewayId), Encoding.UTF8.GetBytes(request.Id));

    private async Task<(string Topic, CommandResult Result, byte[] Correlation)> NextResultAsync()
    {
        var (topic, payload, correlation) = await _session.NextResponseAsync(_timeout.Token);
        return (topic, JsonSerializer.Deserialize(payload, CommandsJson.Default.CommandResult)!, correlation);
    }
}
