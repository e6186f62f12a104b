using System.Collections.Concurrent;
using Microsoft.Extensions.Logging.Abstractions;

namespace CivicEdge.Fleet.Server.Tests;

[TestFixture]
[Category("Unit")]
public sealed class SourceLanesTests
{
    [Test]
    public async Task Work_of_one_source_runs_in_the_order_it_was_queued()
    {
        var done = new ConcurrentQueue<int>();
        await using (var lanes = new SourceLanes(4, capacity: 2, NullLogger.Instance))
        {
            for (var i = 0; i < 50; i++)
            {
                var n = i;
                await lanes.EnqueueAsync("gw-1", async () =>
                {
                    await Task.Yield();
                    done.Enqueue(n);
                }, CancellationToken.None);
            }
        }

        Assert.That(done, Is.EqualTo(Enumerable.Range(0, 50)));
    }

    [Test]
    public async Task A_source_whose_work_waits_does_not_hold_up_the_others()
    {
        var blocked = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var others = new ConcurrentBag<string>();
        var lanes = new SourceLanes(64, capacity: 2, NullLogger.Instance);
        const string Stuck = "gw-stuck";
        var free = Enumerable.Range(1, 20).Select(n => $"gw-{n}").Where(source => !SameLane(source, Stuck, 64)).ToList();

        await lanes.EnqueueAsync(Stuck, () => blocked.Task, CancellationToken.None);
        foreach (var source in free)
            await lanes.EnqueueAsync(source, () => { others.Add(source); return Task.CompletedTask; }, CancellationToken.None);

        // A guard against waiting for ever, not a measure of speed: the others finish while the stuck one waits.
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (others.Count < free.Count && !timeout.IsCancellationRequested)
            await Task.Delay(10, CancellationToken.None);
        var whileStuck = others.ToList();
        blocked.SetResult();
        await lanes.DisposeAsync();

        Assert.That(whileStuck, Is.EquivalentTo(free));
    }

    [Test]
    public async Task Work_that_fails_leaves_its_lane_serving()
    {
        var ran = false;
        await using (var lanes = new SourceLanes(1, capacity: 2, NullLogger.Instance))
        {
            await lanes.EnqueueAsync("gw-1", () => throw new InvalidOperationException("store down"), CancellationToken.None);
            await lanes.EnqueueAsync("gw-1", () => { ran = true; return Task.CompletedTask; }, CancellationToken.None);
        }

        Assert.That(ran, Is.True);
    }

    private static bool SameLane(string a, string b, int lanes) =>
        (uint)StringComparer.Ordinal.GetHashCode(a) % lanes == (uint)StringComparer.Ordinal.GetHashCode(b) % lanes;
}
