using System.Collections.Concurrent;
using CivicEdge.Fleet.Contracts.Ota;
using CivicEdge.Fleet.Core.Ota;
using CivicEdge.Fleet.Server.Ota;
using Microsoft.Extensions.Logging.Abstractions;

namespace CivicEdge.Fleet.Server.Tests.Ota;

[TestFixture]
[Category("Unit")]
public sealed class OtaStatusIngestTests
{
    private const int Lanes = 256;
    private static readonly DateTimeOffset T0 = new(2026, 11, 29, 2, 0, 0, TimeSpan.Zero);

    [Test]
    public async Task Reports_of_many_sources_are_stored_at_the_same_time_and_each_is_acknowledged_only_once_stored()
    {
        var store = new GatedOtaStatusStore();
        var acknowledged = new ConcurrentQueue<string>();
        var acknowledgedBeforeStored = new ConcurrentQueue<string>();
        var sources = SourcesInLanesOfTheirOwn(20);
        await using (var lanes = new SourceLanes(Lanes, capacity: 4, NullLogger.Instance))
        {
            var ingest = new OtaStatusIngest(lanes, new OtaStatusInbox(store, TimeProvider.System), NullLogger.Instance);
            foreach (var source in sources)
            {
                await ingest.EnqueueAsync(source, $"civic/v1/{source}/ota-status", Report(1), _ =>
                {
                    if (!store.Contains(source, 1))
                        acknowledgedBeforeStored.Enqueue(source);
                    acknowledged.Enqueue(source);
                    return Task.CompletedTask;
                }, CancellationToken.None);
            }

            // A guard against waiting for ever, not a measure of speed: every source's append is in flight at once.
            await WaitUntilAsync(() => store.Waiting == sources.Count);
            var acknowledgedWhileWaiting = acknowledged.Count;
            store.Open();
            await WaitUntilAsync(() => acknowledged.Count == sources.Count);

            Assert.That(acknowledgedWhileWaiting, Is.Zero);
        }

        Assert.That(acknowledged, Is.EquivalentTo(sources));
        Assert.That(acknowledgedBeforeStored, Is.Empty);
        Assert.That(store.Stored.Select(s => s.Source), Is.EquivalentTo(sources));
    }

    [Test]
    public async Task A_sources_reports_are_stored_and_acknowledged_in_order_behind_its_earlier_messages()
    {
        var store = new GatedOtaStatusStore();
        var acknowledged = new ConcurrentQueue<long>();
        var earlier = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using (var lanes = new SourceLanes(4, capacity: 4, NullLogger.Instance))
        {
            var ingest = new OtaStatusIngest(lanes, new OtaStatusInbox(store, TimeProvider.System), NullLogger.Instance);

            // A telemetry batch of the same source, received first and still being stored.
            await lanes.EnqueueAsync("gw-01", () => earlier.Task, CancellationToken.None);
            var queueing = Task.Run(async () =>
            {
                for (var sequence = 1; sequence <= 30; sequence++)
                {
                    var n = sequence;
                    await ingest.EnqueueAsync("gw-01", "civic/v1/gw-01/ota-status", Report(n), _ =>
                    {
                        acknowledged.Enqueue(n);
                        return Task.CompletedTask;
                    }, CancellationToken.None);
                }
            });
            store.Open();
            await Task.Delay(50);
            var storedBeforeTheBatch = store.Stored.Count;
            earlier.SetResult();
            await queueing;

            Assert.That(storedBeforeTheBatch, Is.Zero);
        }

        Assert.That(store.Stored, Is.EqualTo(Enumerable.Range(1, 30).Select(n => ("gw-01", (long)n))));
        Assert.That(acknowledged, Is.EqualTo(Enumerable.Range(1, 30).Select(n => (long)n)));
    }

    [Test]
    public async Task A_report_refused_for_lack_of_room_is_counted_and_its_delivery_acknowledged()
    {
        var store = new GatedOtaStatusStore();
        store.Open();
        var acknowledged = new ConcurrentQueue<long>();
        var inbox = new OtaStatusInbox(store, TimeProvider.System, capacity: 2);
        await using (var lanes = new SourceLanes(4, capacity: 4, NullLogger.Instance))
        {
            var ingest = new OtaStatusIngest(lanes, inbox, NullLogger.Instance);
            for (var sequence = 1; sequence <= 3; sequence++)
            {
                var n = sequence;
                await ingest.EnqueueAsync("gw-01", "civic/v1/gw-01/ota-status", Report(n), _ =>
                {
                    acknowledged.Enqueue(n);
                    return Task.CompletedTask;
                }, CancellationToken.None);
            }
        }

        Assert.That(inbox.Refused, Is.EqualTo(1));
        Assert.That(store.Stored.Select(s => s.Sequence), Is.EqualTo(new long[] { 1, 2 }));
        Assert.That(acknowledged, Is.EqualTo(new long[] { 1, 2, 3 }));
    }

    [Test]
    public async Task A_report_the_store_fails_to_take_is_acknowledged_and_the_next_one_is_stored()
    {
        var store = new FailingOnceOtaStatusStore();
        var acknowledged = new ConcurrentQueue<long>();
        await using (var lanes = new SourceLanes(4, capacity: 4, NullLogger.Instance))
        {
            var ingest = new OtaStatusIngest(lanes, new OtaStatusInbox(store, TimeProvider.System), NullLogger.Instance);
            for (var sequence = 1; sequence <= 2; sequence++)
            {
                var n = sequence;
                await ingest.EnqueueAsync("gw-01", "civic/v1/gw-01/ota-status", Report(n), _ =>
                {
                    acknowledged.Enqueue(n);
                    return Task.CompletedTask;
                }, CancellationToken.None);
            }
        }

        Assert.That(store.Stored, Is.EqualTo(new long[] { 2 }));
        Assert.That(acknowledged, Is.EqualTo(new long[] { 1, 2 }));
    }

    private static OtaStatusReport Report(long sequence) =>
        new("c-1", "slc-0001", 1, sequence, OtaPhase.Downloading, sequence * 1024, null, null, T0);

    /// <summary>Sources hashed to lanes no other of them uses, so that none waits behind another.</summary>
    private static List<string> SourcesInLanesOfTheirOwn(int count) =>
        [.. Enumerable.Range(1, 10 * count).Select(n => $"gw-{n:D3}")
            .GroupBy(source => (uint)StringComparer.Ordinal.GetHashCode(source) % Lanes)
            .Select(lane => lane.First())
            .Take(count)];

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (!condition())
            await Task.Delay(5, timeout.Token);
    }

    private sealed class FailingOnceOtaStatusStore : IOtaStatusStore
    {
        private readonly ConcurrentQueue<long> _stored = new();
        private int _appends;

        public IReadOnlyList<long> Stored => [.. _stored];

        public Task<bool> TryAppendOtaStatusAsync(string source, OtaStatusReport report, DateTimeOffset receivedAt, int capacity, CancellationToken cancellationToken)
        {
            if (Interlocked.Increment(ref _appends) == 1)
                throw new IOException("disk full");
            _stored.Enqueue(report.Sequence);
            return Task.FromResult(true);
        }

        public Task<IReadOnlyList<PendingOtaStatus>> ReadPendingOtaStatusAsync(int limit, CancellationToken cancellationToken) =>
            throw new NotSupportedException("The ingest only appends.");

        public Task<long> CountPendingOtaStatusAsync(CancellationToken cancellationToken) => Task.FromResult((long)_stored.Count);

        public Task DeleteOtaStatusAsync(IReadOnlyCollection<long> ids, CancellationToken cancellationToken) =>
            throw new NotSupportedException("The ingest only appends.");
    }
}
