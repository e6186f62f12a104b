using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CivicEdge.Fleet.Contracts;
using CivicEdge.Fleet.Contracts.Access;
using CivicEdge.Fleet.Contracts.Alarms;
using CivicEdge.Fleet.Contracts.Health;
using CivicEdge.Fleet.Core;
using CivicEdge.Fleet.Core.Commands;
using Microsoft.Extensions.DependencyInjection;

namespace CivicEdge.Fleet.Server.Tests.Health;

/// <summary>
/// Alarms raised by the events gateways deliver, handled through the REST API: operators step them through their
/// lifecycle, regulators only read, and every caller sees the alarms of its own tenants only.
/// </summary>
[Category("Integration")]
public sealed class AlarmApiTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private HealthFleet _fleet = null!;
    private HttpClient _admin = null!;
    private HttpClient _waterOperator = null!;
    private HttpClient _waterRegulator = null!;
    private HttpClient _gasOperator = null!;
    private long _seq;

    [OneTimeSetUp]
    public async Task StartTheFleet()
    {
        using var cancel = new CancellationTokenSource(Timeout);
        _fleet = await HealthFleet.StartAsync(cancel.Token);
        _admin = _fleet.Host.CreateClient();
        _waterOperator = await _fleet.ClientAsync("water dispatch", FleetRole.Operator, "water");
        _waterRegulator = await _fleet.ClientAsync("water regulator", FleetRole.Regulator, "water");
        _gasOperator = await _fleet.ClientAsync("gas dispatch", FleetRole.Operator, "gas");
    }

    [OneTimeTearDown]
    public async Task StopTheFleet()
    {
        _admin.Dispose();
        _waterOperator.Dispose();
        _waterRegulator.Dispose();
        _gasOperator.Dispose();
        await _fleet.DisposeAsync();
    }

    [Test]
    public async Task A_raised_event_opens_an_alarm_a_repeat_counts_on_it_and_the_cleared_event_clears_it()
    {
        var code = $"pressure.low{Interlocked.Increment(ref _seq)}";
        await DeliverAsync("gw-water", "wm-1", code, EventState.Raised);
        await DeliverAsync("gw-water", "wm-1", code, EventState.Raised);
        var open = await AlarmOfAsync("wm-1", code);
        await DeliverAsync("gw-water", "wm-1", code, EventState.Cleared);
        var cleared = await _admin.GetFromJsonAsync($"api/alarms/{open.Id}", HealthJson.Default.Alarm);

        Assert.That((open.State, open.Count, open.Source, open.Tenant, open.District), Is.EqualTo((AlarmState.Raised, 2, AlarmSource.Device, (string?)"water", (string?)"Jinshui")));
        Assert.That((cleared!.State, cleared.History[^1].By), Is.EqualTo((AlarmState.Cleared, "device")));
    }

    [Test]
    public async Task An_operator_acknowledges_assigns_clears_and_closes_an_alarm_each_step_with_its_note_and_audited()
    {
        var alarm = await RaiseAsync("wm-1");

        var acknowledged = await StepAsync(_waterOperator, alarm.Id, "acknowledge", new AlarmStepRequest("seen on the map"));
        var assigned = await StepAsync(_waterOperator, alarm.Id, "assign", new AlarmStepRequest("nearest crew", "crew north"));
        await StepAsync(_waterOperator, alarm.Id, "clear", new AlarmStepRequest("valve replaced"));
        var closed = await StepAsync(_waterOperator, alarm.Id, "close", new AlarmStepRequest("done"));

        Assert.That((acknowledged.State, assigned.State, assigned.Assignee, closed.State), Is.EqualTo((AlarmState.Acknowledged, AlarmState.Assigned, (string?)"crew north", AlarmState.Closed)));
        Assert.That(closed.History.Skip(1).Select(s => (s.State, s.Note)), Is.EqualTo(new[]
        {
            (AlarmState.Acknowledged, (string?)"seen on the map"), (AlarmState.Assigned, "nearest crew"), (AlarmState.Cleared, "valve replaced"), (AlarmState.Closed, "done"),
        }));
        Assert.That(closed.History[1].By, Does.StartWith("key:").And.EndWith("(water dispatch)"));

        var audit = await _fleet.AuditAsync("action=alarm.&target=wm-1&from=2026-11-22T00:00:00Z&to=2026-11-23T00:00:00Z&limit=1000");
        Assert.That(audit.Where(e => e.Detail!.StartsWith($"alarm {alarm.Id} ", StringComparison.Ordinal)).Select(e => (e.Action, e.Outcome, e.Tenant)), Is.EqualTo(new[]
        {
            ("alarm.acknowledge", AuditOutcome.Succeeded, (string?)"water"), ("alarm.assign", AuditOutcome.Succeeded, "water"),
            ("alarm.clear", AuditOutcome.Succeeded, "water"), ("alarm.close", AuditOutcome.Succeeded, "water"),
        }));
        Assert.That(audit.Single(e => e.Action == "alarm.assign" && e.Detail!.StartsWith($"alarm {alarm.Id} ", StringComparison.Ordinal)).Detail,
            Does.EndWith("assigned to crew north: nearest crew"));
    }

    [Test]
    public async Task A_regulator_reads_alarms_but_cannot_acknowledge_one()
    {
        var alarm = await RaiseAsync("wm-1");

        var listed = await _waterRegulator.GetFromJsonAsync("api/alarms?state=open", HealthJson.Default.IReadOnlyListAlarm);
        using var response = await _waterRegulator.PostAsJsonAsync($"api/alarms/{alarm.Id}/acknowledge", new AlarmStepRequest("seen"), HealthJson.Default.AlarmStepRequest);

        Assert.That(listed!.Select(a => a.Id), Does.Contain(alarm.Id));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That((await _admin.GetFromJsonAsync($"api/alarms/{alarm.Id}", HealthJson.Default.Alarm))!.State, Is.EqualTo(AlarmState.Raised));
    }

    [Test]
    public async Task A_step_the_lifecycle_does_not_allow_is_a_409_naming_the_allowed_steps_and_is_audited_as_failed()
    {
        var alarm = await RaiseAsync("wm-1");

        using var response = await _waterOperator.PostAsJsonAsync($"api/alarms/{alarm.Id}/close", new AlarmStepRequest("tidy up"), HealthJson.Default.AlarmStepRequest);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
        Assert.That(problem.RootElement.GetProperty("detail").GetString(), Is.EqualTo($"alarm {alarm.Id} is raised: expected a step of acknowledge, assign, clear, found close"));
        Assert.That(problem.RootElement.GetProperty("allowed").EnumerateArray().Select(e => e.GetString()), Is.EqualTo(new[] { "acknowledge", "assign", "clear" }));
        var audit = await _fleet.AuditAsync("action=alarm.close&outcome=failed&from=2026-11-22T00:00:00Z&to=2026-11-23T00:00:00Z");
        Assert.That(audit.Select(e => e.Detail), Does.Contain($"alarm {alarm.Id} is raised: expected a step of acknowledge, assign, clear, found close"));
    }

    [TestCase("acknowledge", """{"note":"  "}""", "note", "note: expected why, for the people after you, found none")]
    [TestCase("assign", """{"note":"go"}""", "assignee", "assignee: expected the person or team to assign the alarm to, found none")]
    [TestCase("acknowledge", "not json", "body", null)]
    public async Task A_step_without_what_it_needs_is_refused_naming_the_field(string step, string body, string field, string? message)
    {
        var alarm = await RaiseAsync("wm-1");

        using var content = new StringContent(body, System.Text.Encoding.UTF8, "application/json");
        using var response = await _waterOperator.PostAsync($"api/alarms/{alarm.Id}/{step}", content);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        var text = problem.RootElement.GetProperty("errors").GetProperty(field)[0].GetString();
        Assert.That(text, message is null ? Does.StartWith("body: expected a JSON object") : Is.EqualTo(message));
    }

    [Test]
    public async Task Another_tenants_alarm_is_left_out_of_lists_and_answers_404_to_reads_and_steps_alike()
    {
        var water = await RaiseAsync("wm-1");
        var gas = await RaiseAsync("gm-1", "gm-1");

        var gasList = await _gasOperator.GetFromJsonAsync("api/alarms", HealthJson.Default.IReadOnlyListAlarm);
        using var read = await _gasOperator.GetAsync($"api/alarms/{water.Id}");
        using var step = await _gasOperator.PostAsJsonAsync($"api/alarms/{water.Id}/acknowledge", new AlarmStepRequest("mine?"), HealthJson.Default.AlarmStepRequest);
        using var unknown = await _gasOperator.GetAsync("api/alarms/999999");

        Assert.That(gasList!.Select(a => a.Device).Distinct(), Is.EqualTo(new[] { "gm-1" }));
        Assert.That(gasList!.Select(a => a.Id), Does.Contain(gas.Id));
        Assert.That((read.StatusCode, step.StatusCode), Is.EqualTo((HttpStatusCode.NotFound, HttpStatusCode.NotFound)));
        Assert.That(await read.Content.ReadAsStringAsync(), Does.Contain("\"title\":\"Unknown alarm\""));
        Assert.That(unknown.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That((await _admin.GetFromJsonAsync($"api/alarms/{water.Id}", HealthJson.Default.Alarm))!.State, Is.EqualTo(AlarmState.Raised));
    }

    [Test]
    public async Task The_list_filters_by_state_severity_and_device()
    {
        var warning = await RaiseAsync("wm-1", severity: EventSeverity.Warning);
        var major = await RaiseAsync("wm-1");

        var atLeastMajor = await _admin.GetFromJsonAsync("api/alarms?state=open&severity=major&device=wm-1", HealthJson.Default.IReadOnlyListAlarm);
        using var bad = await _admin.GetAsync("api/alarms?state=opened");

        Assert.That(atLeastMajor!.Select(a => a.Id), Does.Contain(major.Id).And.Not.Contain(warning.Id));
        Assert.That(atLeastMajor!.All(a => a.IsOpen && a.Severity >= EventSeverity.Major), Is.True);
        Assert.That(bad.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
    }

    [Test]
    public async Task Acknowledging_an_edge_rule_alarm_sends_the_acknowledgement_to_the_gateway_as_a_command_and_a_device_alarm_sends_none()
    {
        var code = $"rule.lamp_failure{Interlocked.Increment(ref _seq)}";
        await DeliverAsync("gw-water", "wm-1", code, EventState.Raised);
        var rule = await AlarmOfAsync("wm-1", code);
        var device = await RaiseAsync("wm-1");

        await StepAsync(_waterOperator, rule.Id, "acknowledge", new AlarmStepRequest("crew on the way"));
        await StepAsync(_waterOperator, device.Id, "acknowledge", new AlarmStepRequest("seen"));

        var commands = await _fleet.Host.Services.GetRequiredService<ICommandStore>().ListCommandsAsync(new CommandQuery { Target = "wm-1" }, CancellationToken.None);
        var sent = commands.Where(c => c.Name == "acknowledge-alarm").ToList();
        Assert.That(rule.Source, Is.EqualTo(AlarmSource.Rule));
        Assert.That(sent, Has.Count.EqualTo(1), "only the rule's alarm lives on at the gateway");
        Assert.That((sent[0].Addressee, sent[0].Arguments.GetProperty("alarm").GetString(), sent[0].Arguments.GetProperty("by").GetString()),
            Is.EqualTo(("gw-water", code, sent[0].SentBy)));
        Assert.That(sent[0].SentBy, Does.EndWith("(water dispatch)"));
    }

    /// <summary>A new condition of <paramref name="device"/>, raised by an event its source delivers.</summary>
    private async Task<Alarm> RaiseAsync(string device, string source = "gw-water", EventSeverity severity = EventSeverity.Major)
    {
        var code = $"condition_{Interlocked.Increment(ref _seq)}";
        await DeliverAsync(source, device, code, EventState.Raised, severity);
        return await AlarmOfAsync(device, code);
    }

    private async Task DeliverAsync(string source, string device, string code, EventState state, EventSeverity severity = EventSeverity.Major)
    {
        var seq = Interlocked.Increment(ref _seq);
        var ingestor = _fleet.Host.Services.GetRequiredService<EventIngestor>();
        var ack = await ingestor.IngestBatchAsync(source, new EventBatch(source, Streams.Events,
            [new EventRecord(seq, device, HealthFleet.T0.AddSeconds(seq), code, state, severity, $"{code} {state}", null, null)]), CancellationToken.None);
        Assert.That(ack.Status, Is.EqualTo(AckStatus.Persisted), ack.Reason);
    }

    private async Task<Alarm> AlarmOfAsync(string device, string code)
    {
        var alarms = await _admin.GetFromJsonAsync($"api/alarms?device={device}", HealthJson.Default.IReadOnlyListAlarm);
        return alarms!.Single(a => a.Type == code);
    }

    private static async Task<Alarm> StepAsync(HttpClient client, long id, string step, AlarmStepRequest request)
    {
        using var response = await client.PostAsJsonAsync($"api/alarms/{id}/{step}", request, HealthJson.Default.AlarmStepRequest);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync(HealthJson.Default.Alarm))!;
    }
}
