using CivicEdge.Fleet.Contracts;
using CivicEdge.Fleet.Contracts.Alarms;
using CivicEdge.Fleet.Core.Alarms;

namespace CivicEdge.Fleet.Storage.LiteDb.Tests.Contract;

/// <summary>
/// What every <see cref="IAlarmStore"/> must do, whatever its engine. A store project derives one fixture from this
/// class and supplies a fresh, empty store per test.
/// </summary>
public abstract class AlarmStoreContractTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 22, 10, 0, 0, TimeSpan.Zero);

    private IAlarmStore? _store;

    protected IAlarmStore Store => _store ?? throw new InvalidOperationException("The store is opened in SetUp.");

    /// <summary>A new, empty store.</summary>
    protected abstract Task<IAlarmStore> OpenEmptyStoreAsync();

    /// <summary>Releases a store made by <see cref="OpenEmptyStoreAsync"/>.</summary>
    protected abstract Task CloseStoreAsync(IAlarmStore store);

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
    public async Task Added_alarms_are_numbered_one_two_three_whatever_id_they_came_with()
    {
        var first = await Store.TryAddAlarmAsync(Raised("mtr-1", "voltage_l1.high") with { Id = 42 }, CancellationToken.None);
        var second = await Store.TryAddAlarmAsync(Raised("mtr-1", "comm_lost"), CancellationToken.None);
        var third = await Store.TryAddAlarmAsync(Raised("mtr-2", "comm_lost"), CancellationToken.None);

        Assert.That(new[] { first!.Id, second!.Id, third!.Id }, Is.EqualTo(new long[] { 1, 2, 3 }));
    }

    [Test]
    public async Task An_alarm_reads_back_with_every_field_and_its_history_in_utc_to_the_millisecond()
    {
        var at = new DateTimeOffset(2026, 11, 22, 18, 30, 15, 123, TimeSpan.FromHours(8));
        var written = Raised("lamp-7", "lamp_failure.set") with
        {
            Severity = EventSeverity.Critical,
            Source = AlarmSource.Rule,
            FirstRaised = at,
            LastRaised = at.AddMinutes(5),
            Count = 3,
            Assignee = "night crew",
            State = AlarmState.Assigned,
            History = [new AlarmStep(AlarmState.Raised, "device", at, "Lamp failure", null), new AlarmStep(AlarmState.Assigned, "key:abc (dispatch)", at.AddMinutes(1), "send the van", "night crew")],
        };

        var added = await Store.TryAddAlarmAsync(written, CancellationToken.None);
        var read = await Store.FindAlarmAsync(added!.Id, CancellationToken.None);

        var utc = new DateTimeOffset(2026, 11, 22, 10, 30, 15, 123, TimeSpan.Zero);
        Assert.That(read, Is.Not.Null);
        Assert.That((read!.Device, read.Type, read.Severity, read.Source, read.Message, read.State, read.Count, read.Assignee, read.Tenant, read.District, read.Revision),
            Is.EqualTo(("lamp-7", "lamp_failure.set", EventSeverity.Critical, AlarmSource.Rule, "condition", AlarmState.Assigned, 3, (string?)"night crew", (string?)"water", (string?)"Jinshui", 1L)));
        Assert.That((read.FirstRaised, read.LastRaised, read.FirstRaised.Offset), Is.EqualTo((utc, utc.AddMinutes(5), TimeSpan.Zero)));
        Assert.That(read.History.Select(s => (s.State, s.By, s.At, s.Note, s.Assignee)), Is.EqualTo(new[]
        {
            (AlarmState.Raised, "device", utc, (string?)"Lamp failure", (string?)null),
            (AlarmState.Assigned, "key:abc (dispatch)", utc.AddMinutes(1), (string?)"send the van", (string?)"night crew"),
        }));
    }

    [Test]
    public async Task A_second_open_alarm_of_the_same_device_and_type_is_refused_and_nothing_is_written()
    {
        await Store.TryAddAlarmAsync(Raised("mtr-1", "comm_lost"), CancellationToken.None);

        var second = await Store.TryAddAlarmAsync(Raised("mtr-1", "comm_lost") with { State = AlarmState.Acknowledged }, CancellationToken.None);

        Assert.That(second, Is.Null);
        Assert.That(await Store.QueryAlarmsAsync(new AlarmQuery(), CancellationToken.None), Has.Count.EqualTo(1));
    }

    [Test]
    public async Task Once_cleared_the_same_condition_may_open_a_new_alarm()
    {
        var first = await Store.TryAddAlarmAsync(Raised("mtr-1", "comm_lost"), CancellationToken.None);
        Assert.That(await Store.TryUpdateAlarmAsync(first! with { State = AlarmState.Cleared, Revision = 2 }, 1, CancellationToken.None), Is.True);

        var second = await Store.TryAddAlarmAsync(Raised("mtr-1", "comm_lost"), CancellationToken.None);
        var open = await Store.FindOpenAlarmAsync("mtr-1", "comm_lost", CancellationToken.None);

        Assert.That(second!.Id, Is.EqualTo(2));
        Assert.That(open!.Id, Is.EqualTo(2));
    }

    [Test]
    public async Task The_open_alarm_of_a_condition_is_found_and_a_cleared_or_other_one_is_not()
    {
        var cleared = await Store.TryAddAlarmAsync(Raised("mtr-1", "voltage_l1.high") with { State = AlarmState.Cleared }, CancellationToken.None);
        await Store.TryAddAlarmAsync(Raised("mtr-2", "comm_lost"), CancellationToken.None);

        Assert.That(cleared, Is.Not.Null);
        Assert.That(await Store.FindOpenAlarmAsync("mtr-1", "voltage_l1.high", CancellationToken.None), Is.Null);
        Assert.That(await Store.FindOpenAlarmAsync("mtr-1", "comm_lost", CancellationToken.None), Is.Null);
        Assert.That((await Store.FindOpenAlarmAsync("mtr-2", "comm_lost", CancellationToken.None))?.Device, Is.EqualTo("mtr-2"));
    }

    [Test]
    public async Task An_update_naming_an_old_revision_is_refused_and_changes_nothing()
    {
        var alarm = await Store.TryAddAlarmAsync(Raised("mtr-1", "comm_lost"), CancellationToken.None);
        Assert.That(await Store.TryUpdateAlarmAsync(alarm! with { Count = 2, Revision = 2 }, 1, CancellationToken.None), Is.True);

        var stale = await Store.TryUpdateAlarmAsync(alarm with { Count = 9, Revision = 2 }, 1, CancellationToken.None);

        Assert.That(stale, Is.False);
        Assert.That((await Store.FindAlarmAsync(alarm.Id, CancellationToken.None))!.Count, Is.EqualTo(2));
    }

    [Test]
    public async Task An_update_of_an_unknown_alarm_is_refused()
    {
        Assert.That(await Store.TryUpdateAlarmAsync(Raised("mtr-1", "comm_lost") with { Id = 99 }, 1, CancellationToken.None), Is.False);
        Assert.That(await Store.FindAlarmAsync(99, CancellationToken.None), Is.Null);
    }

    [Test]
    public async Task Reopening_a_cleared_alarm_while_another_of_its_condition_is_open_is_refused()
    {
        var first = await Store.TryAddAlarmAsync(Raised("mtr-1", "comm_lost"), CancellationToken.None);
        await Store.TryUpdateAlarmAsync(first! with { State = AlarmState.Cleared, Revision = 2 }, 1, CancellationToken.None);
        await Store.TryAddAlarmAsync(Raised("mtr-1", "comm_lost"), CancellationToken.None);

        var reopened = await Store.TryUpdateAlarmAsync(first with { State = AlarmState.Raised, Revision = 3 }, 2, CancellationToken.None);

        Assert.That(reopened, Is.False);
    }

    [Test]
    public async Task A_query_answers_what_its_rule_selects_newest_first()
    {
        await Store.TryAddAlarmAsync(Raised("mtr-1", "comm_lost") with { Severity = EventSeverity.Warning }, CancellationToken.None);
        await Store.TryAddAlarmAsync(Raised("mtr-2", "comm_lost") with { Tenant = "gas", District = "Erqi" }, CancellationToken.None);
        await Store.TryAddAlarmAsync(Raised("mtr-1", "voltage_l1.high") with { State = AlarmState.Closed }, CancellationToken.None);
        await Store.TryAddAlarmAsync(Raised("mtr-3", "offline") with { Severity = EventSeverity.Critical, State = AlarmState.Acknowledged }, CancellationToken.None);

        async Task<long[]> Ids(AlarmQuery query) => (await Store.QueryAlarmsAsync(query, CancellationToken.None)).Select(a => a.Id).ToArray();

        Assert.Multiple(async () =>
        {
            Assert.That(await Ids(new AlarmQuery()), Is.EqualTo(new long[] { 4, 3, 2, 1 }));
            Assert.That(await Ids(new AlarmQuery { States = AlarmQuery.OpenStates }), Is.EqualTo(new long[] { 4, 2, 1 }));
            Assert.That(await Ids(new AlarmQuery { States = new HashSet<AlarmState> { AlarmState.Closed } }), Is.EqualTo(new long[] { 3 }));
            Assert.That(await Ids(new AlarmQuery { MinSeverity = EventSeverity.Major }), Is.EqualTo(new long[] { 4, 3, 2 }));
            Assert.That(await Ids(new AlarmQuery { Device = "mtr-1" }), Is.EqualTo(new long[] { 3, 1 }));
            Assert.That(await Ids(new AlarmQuery { Type = "comm_lost" }), Is.EqualTo(new long[] { 2, 1 }));
            Assert.That(await Ids(new AlarmQuery { Tenant = "gas" }), Is.EqualTo(new long[] { 2 }));
            Assert.That(await Ids(new AlarmQuery { District = "ERQI" }), Is.EqualTo(new long[] { 2 }));
            Assert.That(await Ids(new AlarmQuery { Device = "mtr-1", States = AlarmQuery.OpenStates }), Is.EqualTo(new long[] { 1 }));
            Assert.That(await Ids(new AlarmQuery { Limit = 2 }), Is.EqualTo(new long[] { 4, 3 }));
        });
    }

    [Test]
    public async Task Device_ids_and_types_are_compared_ordinally()
    {
        await Store.TryAddAlarmAsync(Raised("Meter-1", "comm_lost"), CancellationToken.None);

        var other = await Store.TryAddAlarmAsync(Raised("meter-1", "comm_lost"), CancellationToken.None);

        Assert.That(other, Is.Not.Null);
        Assert.That(await Store.FindOpenAlarmAsync("meter-1", "COMM_LOST", CancellationToken.None), Is.Null);
    }

    private static Alarm Raised(string device, string type) => new(
        0, device, type, EventSeverity.Major, AlarmSource.Device, "condition", AlarmState.Raised, T0, T0, 1, null, "water", "Jinshui",
        [new AlarmStep(AlarmState.Raised, "device", T0, "condition", null)], 1);
}
