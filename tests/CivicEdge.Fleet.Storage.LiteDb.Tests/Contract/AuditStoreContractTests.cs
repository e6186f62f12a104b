using CivicEdge.Fleet.Contracts.Access;
using CivicEdge.Fleet.Core.Audit;

namespace CivicEdge.Fleet.Storage.LiteDb.Tests.Contract;

/// <summary>
/// What every <see cref="IAuditStore"/> must do, whatever its engine. A store project derives one fixture from this
/// class and supplies a fresh, empty store per test.
/// </summary>
public abstract class AuditStoreContractTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 22, 10, 0, 0, TimeSpan.Zero);

    private IAuditStore? _store;

    protected IAuditStore Store => _store ?? throw new InvalidOperationException("The store is opened in SetUp.");

    /// <summary>A new, empty store.</summary>
    protected abstract Task<IAuditStore> OpenEmptyStoreAsync();

    /// <summary>Releases a store made by <see cref="OpenEmptyStoreAsync"/>.</summary>
    protected abstract Task CloseStoreAsync(IAuditStore store);

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
    public async Task Appended_entries_are_numbered_one_two_three_whatever_sequence_they_came_with()
    {
        var first = await Store.AppendAuditAsync(Entry(T0) with { Sequence = 42 }, CancellationToken.None);
        var second = await Store.AppendAuditAsync(Entry(T0.AddSeconds(1)), CancellationToken.None);
        var third = await Store.AppendAuditAsync(Entry(T0.AddSeconds(2)), CancellationToken.None);

        Assert.That(new[] { first.Sequence, second.Sequence, third.Sequence }, Is.EqualTo(new long[] { 1, 2, 3 }));
    }

    [Test]
    public async Task An_entry_reads_back_with_every_field_as_appended_and_its_time_in_utc_to_the_millisecond()
    {
        var written = new AuditEntry(
            0, new DateTimeOffset(2026, 11, 22, 18, 30, 15, 123, TimeSpan.FromHours(8)).AddTicks(4567), "key:abcdefghij (dispatch)",
            FleetRole.Operator, ["water-utility", "gas-utility"], AuditActions.TwinSet, "gw-7", "water-utility",
            AuditOutcome.Failed, "devices[0].unit: expected 1 to 247, found 0", "192.0.2.7", "0af7651916cd43dd8448eb211c80319c");

        var stored = await Store.AppendAuditAsync(written, CancellationToken.None);
        var read = await Store.QueryAuditAsync(Window(), CancellationToken.None);

        var expected = written with { Sequence = 1, Time = new DateTimeOffset(2026, 11, 22, 10, 30, 15, 123, TimeSpan.Zero) };
        Assert.That(stored, Is.EqualTo(expected).Using<AuditEntry>(SameEntry));
        Assert.That(read.Single(), Is.EqualTo(expected).Using<AuditEntry>(SameEntry));
        Assert.That(read.Single().Time.Offset, Is.EqualTo(TimeSpan.Zero));
    }

    [Test]
    public async Task An_entry_with_no_role_target_tenant_or_address_reads_back_with_nulls()
    {
        await Store.AppendAuditAsync(
            new AuditEntry(0, T0, "anonymous", null, [], AuditActions.AccessDenied, null, null, AuditOutcome.Denied, null, null, null),
            CancellationToken.None);

        var read = (await Store.QueryAuditAsync(Window(), CancellationToken.None)).Single();

        Assert.That((read.Role, read.Target, read.Tenant, read.Detail, read.SourceIp, read.CorrelationId, read.ActorTenants.Count),
            Is.EqualTo(((FleetRole?)null, (string?)null, (string?)null, (string?)null, (string?)null, (string?)null, 0)));
    }

    [Test]
    public async Task A_query_keeps_the_time_window_inclusive_at_both_ends()
    {
        for (var i = 0; i < 5; i++)
            await Store.AppendAuditAsync(Entry(T0.AddMinutes(i)), CancellationToken.None);

        var read = await Store.QueryAuditAsync(new AuditQuery(T0.AddMinutes(1), T0.AddMinutes(3), 100), CancellationToken.None);

        Assert.That(read.Select(e => e.Time), Is.EqualTo(new[] { T0.AddMinutes(1), T0.AddMinutes(2), T0.AddMinutes(3) }));
    }

    [Test]
    public async Task A_query_over_more_entries_than_its_limit_returns_the_newest_in_the_order_they_were_appended()
    {
        for (var i = 0; i < 10; i++)
            await Store.AppendAuditAsync(Entry(T0.AddSeconds(i)), CancellationToken.None);

        var read = await Store.QueryAuditAsync(Window() with { Limit = 3 }, CancellationToken.None);

        Assert.That(read.Select(e => e.Sequence), Is.EqualTo(new long[] { 8, 9, 10 }));
    }

    [Test]
    public async Task A_query_by_actor_target_action_outcome_and_tenant_finds_exactly_the_matching_entries()
    {
        await Store.AppendAuditAsync(Entry(T0) with { Actor = "key:aaaaaaaaaa (dispatch)", Target = "gw-1", Tenant = "water" }, CancellationToken.None);
        await Store.AppendAuditAsync(Entry(T0) with { Actor = "key:bbbbbbbbbb (night shift)", Target = "gw-2", Tenant = "gas", Action = AuditActions.TwinWithdraw }, CancellationToken.None);
        await Store.AppendAuditAsync(Entry(T0) with { Actor = "anonymous", Target = "/api/devices", Tenant = null, Action = AuditActions.AccessDenied, Outcome = AuditOutcome.Denied }, CancellationToken.None);
        await Store.AppendAuditAsync(Entry(T0) with { Actor = "key:AAAAAAAAAA (other)", Target = "gw-1", Tenant = "water", Action = AuditActions.KeyCreate }, CancellationToken.None);

        async Task<long[]> Find(AuditQuery query) => (await Store.QueryAuditAsync(query, CancellationToken.None)).Select(e => e.Sequence).ToArray();

        await Assert.MultipleAsync(async () =>
        {
            Assert.That(await Find(Window() with { Actor = "aaaaaaaaaa" }), Is.EqualTo(new long[] { 1, 4 }), "actor: contains, case-insensitive");
            Assert.That(await Find(Window() with { Target = "gw-1" }), Is.EqualTo(new long[] { 1, 4 }));
            Assert.That(await Find(Window() with { Target = "gw" }), Is.Empty, "target: exact");
            Assert.That(await Find(Window() with { Action = "twin." }), Is.EqualTo(new long[] { 1, 2 }), "a family of actions");
            Assert.That(await Find(Window() with { Action = AuditActions.TwinSet }), Is.EqualTo(new long[] { 1 }));
            Assert.That(await Find(Window() with { Outcome = AuditOutcome.Denied }), Is.EqualTo(new long[] { 3 }));
            Assert.That(await Find(Window() with { Tenants = new HashSet<string>(["gas", "heat"]) }), Is.EqualTo(new long[] { 2 }));
            Assert.That(await Find(Window() with { Tenants = new HashSet<string>() }), Is.Empty, "an empty tenant set sees no entry, not every entry");
            Assert.That(await Find(Window() with { Target = "gw-1", Action = AuditActions.KeyCreate }), Is.EqualTo(new long[] { 4 }), "criteria together");
        });
    }

    [Test]
    public async Task A_limit_counts_only_matching_entries()
    {
        for (var i = 0; i < 6; i++)
            await Store.AppendAuditAsync(Entry(T0.AddSeconds(i)) with { Target = i % 2 == 0 ? "gw-even" : "gw-odd" }, CancellationToken.None);

        var read = await Store.QueryAuditAsync(Window() with { Target = "gw-even", Limit = 2 }, CancellationToken.None);

        Assert.That(read.Select(e => e.Sequence), Is.EqualTo(new long[] { 3, 5 }));
    }

    [Test]
    public async Task Entries_appended_at_once_from_many_callers_each_get_their_own_sequence_number()
    {
        var appended = await Task.WhenAll(Enumerable.Range(0, 40).Select(i =>
            Task.Run(() => Store.AppendAuditAsync(Entry(T0.AddMilliseconds(i)), CancellationToken.None))));

        Assert.That(appended.Select(e => e.Sequence).Order(), Is.EqualTo(Enumerable.Range(1, 40).Select(i => (long)i)));
        Assert.That(await Store.QueryAuditAsync(Window(), CancellationToken.None), Has.Count.EqualTo(40));
    }

    [Test]
    public async Task An_empty_log_answers_a_query_with_nothing()
    {
        Assert.That(await Store.QueryAuditAsync(Window(), CancellationToken.None), Is.Empty);
    }

    [Test]
    public async Task A_query_whose_window_ends_before_it_starts_is_refused()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => Store.QueryAuditAsync(new AuditQuery(T0, T0.AddSeconds(-1), 10), CancellationToken.None));
    }

    protected static AuditEntry Entry(DateTimeOffset time) => new(
        0, time, "key:abcdefghij (dispatch)", FleetRole.Operator, ["water"], AuditActions.TwinSet, "gw-1", "water",
        AuditOutcome.Succeeded, "version 1", "127.0.0.1", null);

    private static AuditQuery Window() => new(T0.AddDays(-1), T0.AddDays(1), 1000);

    private static bool SameEntry(AuditEntry a, AuditEntry b) =>
        a with { ActorTenants = [] } == b with { ActorTenants = [] } && a.ActorTenants.SequenceEqual(b.ActorTenants);
}
