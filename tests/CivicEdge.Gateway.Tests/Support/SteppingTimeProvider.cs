using Microsoft.Extensions.Time.Testing;

namespace CivicEdge.Gateway.Tests.Support;

/// <summary>
/// A fake clock that knows its pending timers, so a test can wait until every lane of work is asleep on one and then
/// jump straight to the earliest: a discrete-event simulation of the schedulers that does not depend on how fast the
/// machine runs.
/// </summary>
internal sealed class SteppingTimeProvider(DateTimeOffset start) : FakeTimeProvider(start)
{
    private readonly Lock _gate = new();
    private readonly List<PendingTimer> _pending = [];

    public int PendingTimers
    {
        get
        {
            lock (_gate)
                return _pending.Count;
        }
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var pending = new PendingTimer(GetUtcNow() + dueTime);
        lock (_gate)
            _pending.Add(pending);
        var inner = base.CreateTimer(
            s =>
            {
                Remove(pending);
                callback(s);
            },
            state,
            dueTime,
            period);
        return new TrackedTimer(inner, () => Remove(pending));
    }

    /// <summary>
    /// Waits (in real time, bounded) until <paramref name="sleepers"/> timers are pending, then moves the clock to the
    /// earliest of them.
    /// </summary>
    public async Task StepAsync(int sleepers)
    {
        var deadline = DateTime.UtcNow + Wait.Limit;
        while (PendingTimers < sleepers)
        {
            if (DateTime.UtcNow > deadline)
                Assert.Fail($"Gave up waiting: {sleepers} lanes asleep on the clock; {PendingTimers} are.");
            await Task.Delay(1);
        }

        DateTimeOffset next;
        lock (_gate)
            next = _pending.Min(p => p.Due);
        var now = GetUtcNow();
        Advance(next > now ? next - now : TimeSpan.Zero);
    }

    private void Remove(PendingTimer pending)
    {
        lock (_gate)
            _pending.Remove(pending);
    }

    private sealed record PendingTimer(DateTimeOffset Due);

    private sealed class TrackedTimer(ITimer inner, Action onDispose) : ITimer
    {
        public bool Change(TimeSpan dueTime, TimeSpan period) => inner.Change(dueTime, period);

        public void Dispose()
        {
            onDispose();
            inner.Dispose();
        }

        public ValueTask DisposeAsync()
        {
            onDispose();
            return inner.DisposeAsync();
        }
    }
}
