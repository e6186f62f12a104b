using System.Net;
using System.Net.Http.Json;
using System.Text;
using CivicEdge.Fleet.Contracts.Access;
using CivicEdge.Fleet.Contracts.Commands;
using CivicEdge.Fleet.Contracts.Ledger;

namespace CivicEdge.Fleet.Server.Tests.Commands;

/// <summary>Commands through the REST API and the embedded broker, with gateways played by MQTT 5 clients.</summary>
[Category("Integration")]
public sealed class CommandApiTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private FleetHost _fleet = null!;
    private HttpClient _http = null!;
    private CancellationTokenSource _cancel = null!;
    private readonly List<CommandGateway> _gateways = [];

    private CancellationToken Cancel => _cancel.Token;

    [SetUp]
    public async Task SetUp()
    {
        _cancel = new CancellationTokenSource(Timeout);
        _fleet = new FleetHost();
        await _fleet.StartAsync(Cancel);
        _http = _fleet.CreateClient();
    }

    [TearDown]
    public async Task TearDown()
    {
        foreach (var gateway in _gateways)
            await gateway.DisposeAsync();
        _http.Dispose();
        await _fleet.DisposeAsync();
        _cancel.Dispose();
    }

    [Test]
    public async Task A_command_to_a_device_behind_an_online_gateway_waits_for_its_result_and_answers_with_it()
    {
        var gateway = await OnlineGatewayAsync("gw-cmd", "slc-0001");

        var send = SendAsync("""{"device":"slc-0001","name":"write","arguments":{"point":"dimming_level","value":40},"expiresInSeconds":60}""", wait: "10s");
        var received = await gateway.NextAsync(Cancel);
        await gateway.AnswerAsync(received, CommandStatus.Succeeded, null, """{"point":"dimming_level","value":40,"unit":"%"}""", Cancel);
        using var response = await send;

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        var batch = await BatchAsync(response);
        Assert.That(batch.Complete, Is.True);
        var command = batch.Commands.Single();
        Assert.That((command.Target, command.Addressee, command.State), Is.EqualTo(("slc-0001", "gw-cmd", CommandState.Succeeded)));
        Assert.That(command.SentBy, Does.Contain("bootstrap"));
        Assert.That(command.Result!.Value.GetProperty("value").GetDouble(), Is.EqualTo(40));
        Assert.That(received.Request.Target, Is.EqualTo("slc-0001"));
        Assert.That(received.Request.Arguments.GetProperty("point").GetString(), Is.EqualTo("dimming_level"));
        Assert.That(received.ResponseTopic, Is.EqualTo("civic/v1/gw-cmd/results"));
        Assert.That(Encoding.UTF8.GetString(received.CorrelationData!), Is.EqualTo(command.Id));
        Assert.That(received.MessageExpiryInterval, Is.InRange(1u, 60u));
    }

    [Test]
    public async Task Without_wait_the_answer_is_202_with_the_command_to_poll()
    {
        await RegisterAsync("gw-off", DeviceKind.Gateway, null);

        using var response = await SendAsync("""{"device":"gw-off","name":"read","arguments":{"point":"door_open"}}""");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Accepted));
        var command = (await BatchAsync(response)).Commands.Single();
        Assert.That((command.State, command.Addressee), Is.EqualTo((CommandState.Queued, "gw-off")));
        var polled = await _http.GetFromJsonAsync($"api/commands/{command.Id}", CommandsJson.Default.CommandRecord, Cancel);
        Assert.That(polled!.State, Is.EqualTo(CommandState.Queued));
    }

    [Test]
    public async Task Commands_for_an_offline_gateway_wait_and_go_out_in_order_when_it_connects()
    {
        var secret = await _fleet.ProvisionAsync("gw-late", Cancel);
        await RegisterAsync("slc-late", DeviceKind.Lamp, "gw-late");
        var first = (await BatchAsync(await SendAsync("""{"device":"slc-late","name":"switch","arguments":{"point":"lamp_relay","on":true}}"""))).Commands.Single();
        var second = (await BatchAsync(await SendAsync("""{"device":"slc-late","name":"dim","arguments":{"point":"dimming_level","level":30}}"""))).Commands.Single();

        var gateway = await ConnectAsync("gw-late", secret);
        var delivered = new List<string>();
        while (delivered.Count < 2)
        {
            // A command published before the gateway had subscribed is sent again; the gateway runs an id once.
            var command = await gateway.NextAsync(Cancel);
            if (!delivered.Contains(command.Request.Id))
                delivered.Add(command.Request.Id);
            await gateway.AnswerAsync(command, CommandStatus.Succeeded, null, "{}", Cancel);
        }

        Assert.That(delivered, Is.EqualTo(new[] { first.Id, second.Id }));
        Assert.That((await WaitForStateAsync(second.Id, CommandState.Succeeded)).SentAt, Is.Not.Null);
    }

    [Test]
    public async Task A_gateways_next_command_goes_out_only_once_the_one_before_has_its_result()
    {
        var gateway = await OnlineGatewayAsync("gw-turns", "slc-turns");
        var first = (await BatchAsync(await SendAsync("""{"device":"slc-turns","name":"switch","arguments":{"on":true}}"""))).Commands.Single();
        var second = (await BatchAsync(await SendAsync("""{"device":"slc-turns","name":"dim","arguments":{"level":20}}"""))).Commands.Single();

        var received = await gateway.NextAsync(Cancel);
        await Task.Delay(TimeSpan.FromMilliseconds(500), Cancel);
        var waiting = (await GetAsync(second.Id)).State;
        var before = new List<string>();
        while (gateway.HasPending)
            before.Add((await gateway.NextAsync(Cancel)).Request.Id);
        await gateway.AnswerAsync(received, CommandStatus.Succeeded, null, "{}", Cancel);
        var next = await gateway.NextAsync(Cancel);

        Assert.That(received.Request.Id, Is.EqualTo(first.Id));
        Assert.That(waiting, Is.EqualTo(CommandState.Queued));
        Assert.That(before, Is.All.EqualTo(first.Id), "only the first, perhaps again, before its result");
        Assert.That(next.Request.Id, Is.EqualTo(second.Id));
    }

    [Test]
    public async Task A_command_that_expires_while_its_gateway_is_offline_becomes_expired_and_is_never_sent()
    {
        var secret = await _fleet.ProvisionAsync("gw-away", Cancel);
        var command = (await BatchAsync(await SendAsync("""{"device":"gw-away","name":"read","arguments":{"point":"door_open"},"expiresInSeconds":1}"""))).Commands.Single();

        var expired = await WaitForStateAsync(command.Id, CommandState.Expired);
        var gateway = await ConnectAsync("gw-away", secret);
        await Task.Delay(TimeSpan.FromMilliseconds(500), Cancel);

        Assert.That(expired.SentAt, Is.Null);
        Assert.That(expired.Reason, Does.Contain("expired"));
        Assert.That(gateway.HasPending, Is.False);
    }

    [Test]
    public async Task A_sent_command_without_a_result_by_its_expiry_times_out_and_a_late_result_leaves_it_so()
    {
        var gateway = await OnlineGatewayAsync("gw-mute", null);
        using var response = await SendAsync("""{"device":"gw-mute","name":"read","arguments":{"point":"door_open"},"expiresInSeconds":1}""", wait: "3s");
        var received = await gateway.NextAsync(Cancel);

        var batch = await BatchAsync(response);
        await gateway.AnswerAsync(received, CommandStatus.Succeeded, null, "{}", Cancel);
        await Task.Delay(TimeSpan.FromMilliseconds(300), Cancel);

        Assert.That(batch.Commands.Single().State, Is.EqualTo(CommandState.TimedOut));
        Assert.That((await GetAsync(received.Request.Id)).State, Is.EqualTo(CommandState.TimedOut));
    }

    [Test]
    public async Task A_rejection_keeps_the_gateways_reason()
    {
        var gateway = await OnlineGatewayAsync("gw-strict", "em-0001");
        var send = SendAsync("""{"device":"em-0001","name":"write","arguments":{"point":"voltage_l1","value":1}}""", wait: "10s");
        await gateway.AnswerAsync(await gateway.NextAsync(Cancel), CommandStatus.Rejected, "point voltage_l1 of eastron-sdm630 is not writable", null, Cancel);

        var command = (await BatchAsync(await send)).Commands.Single();

        Assert.That((command.State, command.Reason), Is.EqualTo((CommandState.Rejected, "point voltage_l1 of eastron-sdm630 is not writable")));
    }

    [Test]
    public async Task A_gateway_cannot_answer_a_command_sent_to_another_gateway()
    {
        var addressed = await OnlineGatewayAsync("gw-right", null);
        var other = await OnlineGatewayAsync("gw-wrong", null);
        await SendAsync("""{"device":"gw-right","name":"read","arguments":{"point":"door_open"}}""");
        var received = await addressed.NextAsync(Cancel);

        await other.AnswerAsync(received, CommandStatus.Failed, "forged", null, Cancel, topic: "civic/v1/gw-wrong/results");
        await Task.Delay(TimeSpan.FromMilliseconds(500), Cancel);

        Assert.That((await GetAsync(received.Request.Id)).State, Is.EqualTo(CommandState.Sent));
    }

    [Test]
    public async Task A_queued_command_can_be_cancelled_and_is_then_never_sent_but_a_sent_one_cannot()
    {
        var secret = await _fleet.ProvisionAsync("gw-cancel", Cancel);
        var queued = (await BatchAsync(await SendAsync("""{"device":"gw-cancel","name":"read","arguments":{"point":"door_open"}}"""))).Commands.Single();

        using var cancelled = await _http.PostAsync($"api/commands/{queued.Id}/cancel", null, Cancel);
        var gateway = await ConnectAsync("gw-cancel", secret);
        var later = (await BatchAsync(await SendAsync("""{"device":"gw-cancel","name":"read","arguments":{"point":"door_open"}}"""))).Commands.Single();
        var received = await gateway.NextAsync(Cancel);
        await WaitForStateAsync(later.Id, CommandState.Sent);
        using var tooLate = await _http.PostAsync($"api/commands/{later.Id}/cancel", null, Cancel);

        Assert.That(cancelled.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((await GetAsync(queued.Id)).State, Is.EqualTo(CommandState.Cancelled));
        Assert.That(received.Request.Id, Is.EqualTo(later.Id));
        Assert.That(tooLate.StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
        Assert.That(await tooLate.Content.ReadAsStringAsync(), Does.Contain("expected a queued command"));
    }

    [Test]
    public async Task A_query_by_tag_gives_each_matching_device_a_command_of_its_own()
    {
        await RegisterAsync("gw-ring", DeviceKind.Gateway, null);
        await RegisterAsync("slc-ring-1", DeviceKind.Lamp, "gw-ring", "ring-road");
        await RegisterAsync("slc-ring-2", DeviceKind.Lamp, "gw-ring", "ring-road");
        await RegisterAsync("slc-other", DeviceKind.Lamp, "gw-ring", "park");

        var batch = await BatchAsync(await SendAsync("""{"query":{"tags":["ring-road"],"kind":"lamp"},"name":"dim","arguments":{"point":"dimming_level","level":50}}"""));
        var listed = await _http.GetFromJsonAsync("api/commands?device=slc-ring-2", CommandsJson.Default.IReadOnlyListCommandRecord, Cancel);

        Assert.That(batch.Commands.Select(c => c.Target), Is.EquivalentTo(new[] { "slc-ring-1", "slc-ring-2" }));
        Assert.That(batch.Commands.Select(c => c.Id).Distinct().Count(), Is.EqualTo(2));
        Assert.That(listed!.Single().Name, Is.EqualTo("dim"));
    }

    [Test]
    public async Task A_malformed_command_is_refused_naming_each_field_and_the_refusal_is_audited()
    {
        using var response = await SendAsync("""{"device":"slc-0001","devices":["a"],"name":"1bad","arguments":[1],"expiresInSeconds":0}""");

        var body = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(body, Does.Contain("expected exactly one way of naming the targets, found 2"));
        Assert.That(body, Does.Contain("name: expected a command name"));
        Assert.That(body, Does.Contain("arguments: expected a JSON object"));
        Assert.That(body, Does.Contain("expiresInSeconds: expected 1 to"));
        var audit = await _http.GetFromJsonAsync("api/audit?action=command.", AccessJson.Default.IReadOnlyListAuditEntry, Cancel);
        Assert.That(audit!.Single().Outcome, Is.EqualTo(AuditOutcome.Failed));
    }

    [Test]
    public async Task An_unknown_device_is_refused_with_404_and_nothing_is_stored()
    {
        using var response = await SendAsync("""{"devices":["nobody-here"],"name":"read"}""");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(await response.Content.ReadAsStringAsync(), Does.Contain("found 'nobody-here'"));
        Assert.That(await _http.GetFromJsonAsync("api/commands", CommandsJson.Default.IReadOnlyListCommandRecord, Cancel), Is.Empty);
    }

    [Test]
    public async Task A_regulator_may_read_commands_but_not_send_or_cancel_them()
    {
        await RegisterAsync("gw-reg", DeviceKind.Gateway, null);
        var command = (await BatchAsync(await SendAsync("""{"device":"gw-reg","name":"read","arguments":{"point":"door_open"}}"""))).Commands.Single();
        using var regulator = _fleet.CreateClient(await KeyAsync("inspector", FleetRole.Regulator, "test-bureau"));

        using var send = await regulator.PostAsync("api/commands", Json("""{"device":"gw-reg","name":"read"}"""), Cancel);
        using var cancel = await regulator.PostAsync($"api/commands/{command.Id}/cancel", null, Cancel);
        using var read = await regulator.GetAsync($"api/commands/{command.Id}", Cancel);

        Assert.That((send.StatusCode, cancel.StatusCode, read.StatusCode), Is.EqualTo((HttpStatusCode.Forbidden, HttpStatusCode.Forbidden, HttpStatusCode.OK)));
    }

    [Test]
    public async Task An_operator_cannot_command_or_see_the_commands_of_another_tenants_devices()
    {
        await RegisterAsync("gw-gas", DeviceKind.Gateway, null, tenant: "gas");
        await RegisterAsync("gw-water", DeviceKind.Gateway, null, tenant: "water");
        var gasCommand = (await BatchAsync(await SendAsync("""{"device":"gw-gas","name":"read","arguments":{"point":"door_open"}}"""))).Commands.Single();
        using var water = _fleet.CreateClient(await KeyAsync("water-desk", FleetRole.Operator, "water"));

        using var send = await water.PostAsync("api/commands", Json("""{"device":"gw-gas","name":"read"}"""), Cancel);
        using var byQuery = await water.PostAsync("api/commands", Json("""{"query":{"tenant":"gas"},"name":"read"}"""), Cancel);
        using var show = await water.GetAsync($"api/commands/{gasCommand.Id}", Cancel);
        using var cancel = await water.PostAsync($"api/commands/{gasCommand.Id}/cancel", null, Cancel);
        using var list = await water.GetAsync("api/commands?device=gw-gas", Cancel);
        var all = await water.GetFromJsonAsync("api/commands", CommandsJson.Default.IReadOnlyListCommandRecord, Cancel);
        using var own = await water.PostAsync("api/commands", Json("""{"device":"gw-water","name":"read"}"""), Cancel);

        Assert.That(
            new[] { send.StatusCode, byQuery.StatusCode, show.StatusCode, cancel.StatusCode, list.StatusCode },
            Is.All.EqualTo(HttpStatusCode.NotFound));
        Assert.That(all, Is.Empty);
        Assert.That(own.StatusCode, Is.EqualTo(HttpStatusCode.Accepted));
        Assert.That((await GetAsync(gasCommand.Id)).State, Is.EqualTo(CommandState.Queued));
        var denied = (await _http.GetFromJsonAsync("api/audit?action=access.denied", AccessJson.Default.IReadOnlyListAuditEntry, Cancel))!;
        Assert.That(denied.Where(e => e.Actor.Contains("water-desk", StringComparison.Ordinal)).Select(e => e.Target), Has.Exactly(3).EqualTo("gw-gas"), "the read, the cancel and the list of another tenant's commands");
    }

    [Test]
    public async Task Every_command_is_audited_with_who_sent_what_to_which_target()
    {
        await RegisterAsync("gw-aud", DeviceKind.Gateway, null);
        await RegisterAsync("slc-aud-1", DeviceKind.Lamp, "gw-aud");
        await RegisterAsync("slc-aud-2", DeviceKind.Lamp, "gw-aud");
        using var operatorClient = _fleet.CreateClient(await KeyAsync("night-shift", FleetRole.Operator, "test-bureau"));

        using var response = await operatorClient.PostAsync("api/commands", Json("""{"devices":["slc-aud-1","slc-aud-2"],"name":"switch","arguments":{"point":"lamp_relay","on":false}}"""), Cancel);
        var audit = (await _http.GetFromJsonAsync("api/audit?action=command.send", AccessJson.Default.IReadOnlyListAuditEntry, Cancel))!;

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Accepted));
        Assert.That(audit!.Select(e => e.Target!), Is.EquivalentTo(new[] { "slc-aud-1", "slc-aud-2" }));
        Assert.That(audit.Select(e => e.Actor), Is.All.Contains("night-shift"));
        Assert.That(audit.Select(e => e.Detail!), Is.All.Contains("""switch {"point":"lamp_relay","on":false}"""));
        Assert.That(audit.Select(e => e.Tenant), Is.All.EqualTo("test-bureau"));
    }

    private async Task<CommandGateway> OnlineGatewayAsync(string code, string? device)
    {
        var secret = await _fleet.ProvisionAsync(code, Cancel);
        if (device is not null)
            await RegisterAsync(device, DeviceKind.Lamp, code);
        return await ConnectAsync(code, secret);
    }

    private async Task<CommandGateway> ConnectAsync(string code, string secret)
    {
        var gateway = await CommandGateway.ConnectAsync(_fleet, code, secret, Cancel);
        _gateways.Add(gateway);
        return gateway;
    }

    private async Task RegisterAsync(string code, DeviceKind kind, string? gateway, string? tag = null, string tenant = "test-bureau")
    {
        using var response = await _http.PostAsJsonAsync(
            "api/devices",
            new DeviceRegistration { Code = code, Kind = kind, Tenant = tenant, Gateway = gateway, Tags = tag is null ? null : [tag], By = "test" },
            LedgerJson.Default.DeviceRegistration,
            Cancel);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
    }

    private async Task<string> KeyAsync(string name, FleetRole role, params string[] tenants)
    {
        using var response = await _http.PostAsJsonAsync("api/keys", new NewApiKey(name, role, tenants, false, null), AccessJson.Default.NewApiKey, Cancel);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync(AccessJson.Default.IssuedApiKey, Cancel))!.Key;
    }

    private Task<HttpResponseMessage> SendAsync(string body, string? wait = null) =>
        _http.PostAsync(wait is null ? "api/commands" : $"api/commands?wait={wait}", Json(body), Cancel);

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    private async Task<CommandBatch> BatchAsync(HttpResponseMessage response)
    {
        using (response)
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK).Or.EqualTo(HttpStatusCode.Accepted), await response.Content.ReadAsStringAsync(Cancel));
            return (await response.Content.ReadFromJsonAsync(CommandsJson.Default.CommandBatch, Cancel))!;
        }
    }

    private async Task<CommandRecord> GetAsync(string id) =>
        (await _http.GetFromJsonAsync($"api/commands/{id}", CommandsJson.Default.CommandRecord, Cancel))!;

    private async Task<CommandRecord> WaitForStateAsync(string id, CommandState state)
    {
        while (true)
        {
            var command = await GetAsync(id);
            if (command.State == state)
                return command;
            await Task.Delay(TimeSpan.FromMilliseconds(100), Cancel);
        }
    }
}
