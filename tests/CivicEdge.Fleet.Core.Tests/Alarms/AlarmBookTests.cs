using CivicEdge.Fleet.Contracts;
using CivicEdge.Fleet.Contracts.Alarms;
using CivicEdge.Fleet.Contracts.Ledger;
using CivicEdge.Fleet.Core.Alarms;
using CivicEdge.Fleet.Core.Tests.Ledger;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using static CivicEdge.Fleet.Core.Tests.TestBatches;

namespace CivicEdge.Fleet.Core.Tests.Alarms;

[TestFixture]
[Category("Unit")]
public sealed class AlarmBookTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 22, 10, 0, 0, TimeSpan.Zero);

    private FakeTimeProvider _clock = null!;
    private InMemoryAlarmStore _store = null!;
    private InMemoryDeviceLedgerStore _ledger = null!;
    private AlarmBook _book = null!;

    [SetUp]
    public async Task CreateBook()
    {
        _clock = new FakeTimeProvider(T0);
        _store = new InMemoryAlarmStore();
        _ledger = new InMemoryDeviceLedgerStore();
        await _ledger.TryAddDeviceAsync(HealthFixtures.Device("meter-1", DeviceKind.EnergyMeter, tenant: "water", district: "Jinshui"), CancellationToken.None);
        _book = new AlarmBook(_store, _ledger, _clock, NullLogger<AlarmBook>.Instance);
    }

    [Test]
    public async Task A_raise_opens_an_alarm_with_the_devices_owner_and_district_and_its_first_step()
    {
        var alarm = await _book.RaiseAsync(Raise("voltage_l1.high", T0), CancellationToken.None);

        Assert.That((alarm.Id, alarm.State, alarm.Count, alarm.Tenant, alarm.District, alarm.Source), Is.EqualTo((1L, AlarmState.Raised, 1, (string?)"water", (string?)"Jinshui", AlarmSource.Device)));
        Assert.That(alarm.History.Single(), Is.EqualTo(new AlarmStep(AlarmState.Raised, "device", T0, "Voltage L1 above 253 V", null)));
    }

    [Test]
    public async Task A_repeat_of_an_open_alarm_counts_on_it_keeps_the_highest_severity_and_opens_no_other()
    {
        await _book.RaiseAsync(Raise("voltage_l1.high", T0), CancellationToken.None);
        await _book.StepAsync(1, AlarmAction.Acknowledge, "key:ops (dispatch)", "looking", null, CancellationToken.None);

        var repeated = await _book.RaiseAsync(Raise("voltage_l1.high", T0.AddMinutes(5)) with { Severity = EventSeverity.Critical }, CancellationToken.None);
        await _book.RaiseAsync(Raise("voltage_l1.high", T0.AddMinutes(9)) with { Severity = EventSeverity.Warning }, CancellationToken.None);

        var alarm = _store.All.Single();
        Assert.That(repeated.Id, Is.EqualTo(1));
        Assert.That((alarm.Count, alarm.FirstRaised, alarm.LastRaised, alarm.Severity, alarm.State), Is.EqualTo((3, T0, T0.AddMinutes(9), EventSeverity.Critical, AlarmState.Acknowledged)));
    }

    [Test]
    public async Task Once_cleared_the_same_condition_raises_a_new_alarm()
    {
        await _book.RaiseAsync(Raise("comm_lost", T0), CancellationToken.None);
        await _book.ClearConditionAsync("meter-1", "comm_lost", AlarmBook.DeviceActor, T0.AddMinutes(1), "answers again", CancellationToken.None);

        var again = await _book.RaiseAsync(Raise("comm_lost", T0.AddMinutes(2)), CancellationToken.None);

        Assert.That(again.Id, Is.EqualTo(2));
        Assert.That(_store.All.Select(a => a.State), Is.EqualTo(new[] { AlarmState.Cleared, AlarmState.Raised }));
    }

    [Test]
    public async Task The_lifecycle_runs_raised_acknowledged_assigned_cleared_closed_with_who_when_and_a_note_at_each_step()
    {
        await _book.RaiseAsync(Raise("lamp_failure.set", T0), CancellationToken.None);

        _clock.Advance(TimeSpan.FromMinutes(1));
        await _book.StepAsync(1, AlarmAction.Acknowledge, "ana", "seen", null, CancellationToken.None);
        _clock.Advance(TimeSpan.FromMinutes(1));
        await _book.StepAsync(1, AlarmAction.Assign, "ana", "van 3 is nearby", "night crew", CancellationToken.None);
        _clock.Advance(TimeSpan.FromMinutes(1));
        await _book.StepAsync(1, AlarmAction.Assign, "bo", "van 3 broke down", "day crew", CancellationToken.None);
        _clock.Advance(TimeSpan.FromMinutes(1));
        await _book.StepAsync(1, AlarmAction.Clear, "bo", "lamp replaced", null, CancellationToken.None);
        _clock.Advance(TimeSpan.FromMinutes(1));
        var closed = await _book.StepAsync(1, AlarmAction.Close, "ana", "billed to contractor", null, CancellationToken.None);

        Assert.That(closed.Applied, Is.True);
        Assert.That((closed.Alarm!.State, closed.Alarm.Assignee), Is.EqualTo((AlarmState.Closed, (string?)"day crew")));
        Assert.That(closed.Alarm.History.Select(s => (s.State, s.By, s.At, s.Note, s.Assignee)), Is.EqualTo(new[]
        {
            (AlarmState.Raised, "device", T0, (string?)"Voltage L1 above 253 V", (string?)null),
            (AlarmState.Acknowledged, "ana", T0.AddMinutes(1), "seen", null),
            (AlarmState.Assigned, "ana", T0.AddMinutes(2), "van 3 is nearby", "night crew"),
            (AlarmState.Assigned, "bo", T0.AddMinutes(3), "van 3 broke down", "day crew"),
            (AlarmState.Cleared, "bo", T0.AddMinutes(4), "lamp replaced", null),
            (AlarmState.Closed, "ana", T0.AddMinutes(5), "billed to contractor", null),
        }));
    }

    [TestCase(AlarmState.Raised, AlarmAction.Close, new[] { AlarmAction.Acknowledge, AlarmAction.Assign, AlarmAction.Clear })]
    [TestCase(AlarmState.Acknowledged, AlarmAction.Acknowledge, new[] { AlarmAction.Assign, AlarmAction.Clear })]
    [TestCase(AlarmState.Cleared, AlarmAction.Assign, new[] { AlarmAction.Close })]
    [TestCase(AlarmState.Closed, AlarmAction.Clear, new AlarmAction[0])]
    public async Task A_step_the_lifecycle_does_not_allow_is_refused_naming_the_allowed_ones_and_changes_nothing(AlarmState state, AlarmAction action, AlarmAction[] allowed)
    {
        await _book.RaiseAsync(Raise("comm_lost", T0), CancellationToken.None);
        _store.Overwrite(1, a => a with { State = state });
        var before = _store.All.Single();

        var outcome = await _book.StepAsync(1, action, "ana", "why not", "crew", CancellationToken.None);

        Assert.That((outcome.Applied, outcome.Allowed), Is.EqualTo((false, allowed)));
        Assert.That(_store.All.Single(), Is.SameAs(before));
    }

    [Test]
    public async Task A_step_on_an_unknown_alarm_finds_nothing()
    {
        var outcome = await _book.StepAsync(7, AlarmAction.Acknowledge, "ana", "?", null, CancellationToken.None);

        Assert.That((outcome.Alarm, outcome.Applied), Is.EqualTo(((Alarm?)null, false)));
    }

    [Test]
    public async Task A_step_racing_another_writer_is_applied_on_a_fresh_read_and_keeps_both_changes()
    {
        await _book.RaiseAsync(Raise("comm_lost", T0), CancellationToken.None);
        _store.BeforeNextUpdate = () => _store.Overwrite(1, a => a with { Count = 2 });

        var outcome = await _book.StepAsync(1, AlarmAction.Acknowledge, "ana", "seen", null, CancellationToken.None);

        Assert.That((outcome.Applied, outcome.Alarm!.Count, _store.All.Single().State), Is.EqualTo((true, 2, AlarmState.Acknowledged)));
    }

    [Test]
    public async Task Events_stored_by_the_ingestor_raise_and_clear_alarms_and_a_resent_batch_counts_nothing_twice()
    {
        var feed = new AlarmFeed(_book, NullLogger<AlarmFeed>.Instance);
        var ingestor = new EventIngestor(new InMemoryFleetStore(), new TelemetryIngestOptions(), _clock, NullLogger<EventIngestor>.Instance, feed);
        var raised = Alarm(1, "meter-1", "rule.pipe_pressure_drop");
        var cleared = raised with { Seq = 2, State = EventState.Cleared, Timestamp = T0.AddMinutes(3) };

        await ingestor.IngestBatchAsync(Gateway, Events(raised), CancellationToken.None);
        await ingestor.IngestBatchAsync(Gateway, Events(raised), CancellationToken.None);
        var afterRaise = _store.All.Single();
        await ingestor.IngestBatchAsync(Gateway, Events(raised, cleared), CancellationToken.None);

        Assert.That((afterRaise.Count, afterRaise.Source, afterRaise.State), Is.EqualTo((1, AlarmSource.Rule, AlarmState.Raised)));
        Assert.That((_store.All.Single().State, _store.All.Single().History[^1].By), Is.EqualTo((AlarmState.Cleared, "device")));
    }

    [Test]
    public async Task A_clear_for_no_open_alarm_is_counted_and_changes_nothing()
    {
        var feed = new AlarmFeed(_book, NullLogger<AlarmFeed>.Instance);

        await feed.ApplyAsync([Alarm(1) with { State = EventState.Cleared }], CancellationToken.None);

        Assert.That((_store.All.Count, feed.ClearsWithoutAlarm, feed.Failed), Is.EqualTo((0, 1L, 0L)));
    }

    private static AlarmRaise Raise(string type, DateTimeOffset at) =>
        new("meter-1", type, EventSeverity.Major, AlarmSource.Device, "Voltage L1 above 253 V", at);
}
