using CivicEdge.Fleet.Contracts.Ota;
using CivicEdge.Fleet.Core.Ota;

namespace CivicEdge.Fleet.Storage.LiteDb.Tests.Contract;

/// <summary>What every <see cref="IOtaStatusStore"/> must do, whatever its engine; a fresh, empty store per test.</summary>
public abstract class OtaStatusStoreContractTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 29, 2, 0, 0, TimeSpan.Zero);

    private IOtaStatusStore? _store;

    protected IOtaStatusStore Store => _store ?? throw new InvalidOperationException("The store is opened in SetUp.");

    protected abstract Task<IOtaStatusStore> OpenEmptyStoreAsync();

    /// <summary>Closes the store and opens it again on the same data, as a fleet node does after a crash or restart.</summary>
    protected abstract Task<IOtaStatusStore> ReopenStoreAsync(IOtaStatusStore store);

    protected abstract Task CloseStoreAsync(IOtaStatusStore store);

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
    public async Task An_appended_report_reads_back_exactly_with_its_source_and_the_time_it_was_received()
    {
        var report = new OtaStatusReport("c-2026-11", "slc-0007", 2, 5, OtaPhase.RolledBack, 524_288, "2.3.1", "no lamp current after reboot", T0.AddSeconds(-3));

        var stored = await Store.TryAppendOtaStatusAsync("gw-03", report, T0, 10, CancellationToken.None);
        var pending = await Store.ReadPendingOtaStatusAsync(10, CancellationToken.None);

        Assert.That(stored, Is.True);
        Assert.That(pending, Has.Count.EqualTo(1));
        Assert.That((pending[0].Source, pending[0].ReceivedAt, pending[0].Report), Is.EqualTo(("gw-03", T0, report)));
    }

    [Test]
    public async Task Reports_read_oldest_first_up_to_the_limit_with_increasing_ids()
    {
        for (var sequence = 1; sequence <= 5; sequence++)
            await Store.TryAppendOtaStatusAsync("gw-01", Report(sequence), T0.AddSeconds(sequence), 100, CancellationToken.None);

        var first = await Store.ReadPendingOtaStatusAsync(3, CancellationToken.None);

        Assert.That(first.Select(p => p.Report.Sequence), Is.EqualTo(new long[] { 1, 2, 3 }));
        Assert.That(first.Select(p => p.Id), Is.Ordered.Ascending.And.Unique);
        Assert.That(await Store.CountPendingOtaStatusAsync(CancellationToken.None), Is.EqualTo(5));
    }

    [Test]
    public async Task Deleted_reports_are_gone_and_the_others_stay_in_order()
    {
        for (var sequence = 1; sequence <= 4; sequence++)
            await Store.TryAppendOtaStatusAsync("gw-01", Report(sequence), T0, 100, CancellationToken.None);
        var pending = await Store.ReadPendingOtaStatusAsync(10, CancellationToken.None);

        await Store.DeleteOtaStatusAsync([pending[0].Id, pending[2].Id, 999_999], CancellationToken.None);

        var left = await Store.ReadPendingOtaStatusAsync(10, CancellationToken.None);
        Assert.That(left.Select(p => p.Report.Sequence), Is.EqualTo(new long[] { 2, 4 }));
        Assert.That(await Store.CountPendingOtaStatusAsync(CancellationToken.None), Is.EqualTo(2));
    }

    [Test]
    public async Task A_report_past_the_capacity_is_refused_and_not_stored_until_room_is_made()
    {
        await Store.TryAppendOtaStatusAsync("gw-01", Report(1), T0, 2, CancellationToken.None);
        await Store.TryAppendOtaStatusAsync("gw-01", Report(2), T0, 2, CancellationToken.None);

        var refused = await Store.TryAppendOtaStatusAsync("gw-01", Report(3), T0, 2, CancellationToken.None);
        await Store.DeleteOtaStatusAsync([(await Store.ReadPendingOtaStatusAsync(1, CancellationToken.None))[0].Id], CancellationToken.None);
        var taken = await Store.TryAppendOtaStatusAsync("gw-01", Report(4), T0, 2, CancellationToken.None);

        Assert.That((refused, taken), Is.EqualTo((false, true)));
        Assert.That((await Store.ReadPendingOtaStatusAsync(10, CancellationToken.None)).Select(p => p.Report.Sequence), Is.EqualTo(new long[] { 2, 4 }));
    }

    [Test]
    public async Task Reports_survive_closing_and_reopening_the_store_and_new_ones_are_numbered_after_them()
    {
        await Store.TryAppendOtaStatusAsync("gw-01", Report(1), T0, 100, CancellationToken.None);
        await Store.TryAppendOtaStatusAsync("gw-02", Report(2), T0, 100, CancellationToken.None);
        var before = await Store.ReadPendingOtaStatusAsync(10, CancellationToken.None);

        _store = await ReopenStoreAsync(Store);
        await Store.TryAppendOtaStatusAsync("gw-03", Report(3), T0, 100, CancellationToken.None);

        var after = await Store.ReadPendingOtaStatusAsync(10, CancellationToken.None);
        Assert.That(after.Select(p => (p.Source, p.Report.Sequence)), Is.EqualTo(new[] { ("gw-01", 1L), ("gw-02", 2L), ("gw-03", 3L) }));
        Assert.That(after.Take(2).Select(p => p.Id), Is.EqualTo(before.Select(p => p.Id)));
        Assert.That(after[2].Id, Is.GreaterThan(before[1].Id));
        Assert.That(await Store.CountPendingOtaStatusAsync(CancellationToken.None), Is.EqualTo(3));
    }

    [Test]
    public async Task Reports_appended_at_once_by_many_sources_are_all_stored_each_source_in_its_order()
    {
        // As the ingest's lanes append: sources at the same time, each one's reports one after another.
        var sources = Enumerable.Range(1, 20).Select(n => $"gw-{n:D2}").ToList();
        var appended = await Task.WhenAll(sources.Select(async source =>
        {
            var stored = 0;
            for (var sequence = 1; sequence <= 10; sequence++)
            {
                if (await Store.TryAppendOtaStatusAsync(source, Report(sequence), T0, 1_000, CancellationToken.None))
                    stored++;
            }
            return stored;
        }));

        var pending = await Store.ReadPendingOtaStatusAsync(1_000, CancellationToken.None);
        Assert.That(appended, Is.All.EqualTo(10));
        Assert.That(pending, Has.Count.EqualTo(200));
        Assert.That(pending.Select(p => p.Id), Is.Ordered.Ascending.And.Unique);
        foreach (var source in sources)
            Assert.That(pending.Where(p => p.Source == source).Select(p => p.Report.Sequence), Is.EqualTo(Enumerable.Range(1, 10).Select(n => (long)n)), source);
        Assert.That(await Store.CountPendingOtaStatusAsync(CancellationToken.None), Is.EqualTo(200));
    }

    [Test]
    public async Task An_empty_store_has_nothing_pending_and_deleting_nothing_is_no_error()
    {
        await Store.DeleteOtaStatusAsync([], CancellationToken.None);

        Assert.That(await Store.ReadPendingOtaStatusAsync(10, CancellationToken.None), Is.Empty);
        Assert.That(await Store.CountPendingOtaStatusAsync(CancellationToken.None), Is.Zero);
    }

    private static OtaStatusReport Report(long sequence) =>
        new("c-1", "slc-0001", 1, sequence, OtaPhase.Downloading, sequence * 1024, null, null, T0);
}
