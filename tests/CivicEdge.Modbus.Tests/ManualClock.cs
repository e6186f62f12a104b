namespace CivicEdge.Modbus.Tests;

/// <summary>
/// A clock that moves only when told, single-threaded: its timers ring on the thread that advances it. Unlike
/// FakeTimeProvider, re-arming a timer and ringing it allocate nothing, so that a test can count what the code under
/// test allocates.
/// </summary>
internal sealed class ManualClock : TimeProvider
{
    private readonly List<Timer> _timers = [];
    private long _ticks;

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override long GetTimestamp() => _ticks;

    public override DateTimeOffset GetUtcNow() => DateTimeOffset.UnixEpoch.AddTicks(_ticks);

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new Timer(this, callback, state);
        _timers.Add(timer);
        timer.Change(dueTime, period);
        return timer;
    }

    /// <summary>Moves the clock on and rings, in turn, every timer that has come due (periods are not repeated).</summary>
    public void Advance(TimeSpan by)
    {
        _ticks += by.Ticks;
        for (int i = 0; i < _timers.Count; i++)
            _timers[i].RingIfDue(_ticks);
    }

    private sealed class Timer(ManualClock clock, TimerCallback callback, object? state) : ITimer
    {
        private long? _dueAt;

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            _dueAt = dueTime == Timeout.InfiniteTimeSpan ? null : clock._ticks + dueTime.Ticks;
            return true;
        }

        public void RingIfDue(long now)
        {
            if (_dueAt is not { } dueAt || dueAt > now)
                return;
            _dueAt = null;
            callback(state);
        }

        public void Dispose() => _dueAt = null;

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
