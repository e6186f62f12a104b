using System.Threading.Tasks.Sources;

namespace CivicEdge.Modbus;

/// <summary>
/// The pauses of one serial line (the t3.5 silence, the turnaround delay, the pacing of characters), one at a time, on
/// the line's <see cref="TimeProvider"/>: what <c>Task.Delay</c> does, with one timer and one reusable
/// <see cref="IValueTaskSource"/> instead of a new task and timer per pause, so that a master or slave in steady state
/// allocates nothing per transaction.
/// </summary>
internal sealed class LineTimer : IValueTaskSource, IDisposable
{
    private static readonly TimeSpan OneMillisecond = TimeSpan.FromMilliseconds(1);

    private readonly TimeProvider _timeProvider;
    private readonly Lock _gate = new();
    private ManualResetValueTaskSourceCore<bool> _completion = new() { RunContinuationsAsynchronously = true };
    private CancellationTokenRegistration _cancellation;
    private Alarm? _alarm;
    private bool _pending;
    private bool _disposed;

    public LineTimer(TimeProvider timeProvider) => _timeProvider = timeProvider;

    /// <summary>Completes after <paramref name="delay"/>, or fails with <see cref="OperationCanceledException"/> as soon as the token is cancelled.</summary>
    public ValueTask WaitAsync(TimeSpan delay, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
            return ValueTask.FromCanceled(cancellationToken);

        // As Task.Delay: the system clock's timers count whole milliseconds, and a pause of none of them ends at once
        // rather than after a round trip through the timer thread (callers spin sub-millisecond remainders).
        if (delay <= TimeSpan.Zero || (_timeProvider == TimeProvider.System && delay < OneMillisecond))
            return ValueTask.CompletedTask;

        _completion.Reset();
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            _pending = true;

            // Registered before the timer is armed and under the lock, so that neither the timer nor a cancellation on
            // another thread completes the pause before the registration is stored for GetResult to remove. A
            // cancellation that came meanwhile runs the callback here, on this thread (the lock is re-entrant).
            _cancellation = cancellationToken.UnsafeRegister(static (state, token) => ((LineTimer)state!).Cancel(token), this);
            if (_pending)
            {
                _alarm ??= new Alarm(this, _timeProvider);
                _alarm.Timer.Change(delay, Timeout.InfiniteTimeSpan);
            }
        }

        return new ValueTask(this, _completion.Version);
    }

    public void GetResult(short token)
    {
        _cancellation.Dispose();
        _completion.GetResult(token);
    }

    public ValueTaskSourceStatus GetStatus(short token) => _completion.GetStatus(token);

    public void OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _completion.OnCompleted(continuation, state, token, flags);

    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
            _alarm?.Timer.Dispose();
            _alarm = null;
        }
    }

    private void Ring(Alarm alarm)
    {
        lock (_gate)
        {
            // A timer left behind by a cancelled pause may still ring; it is not this pause's.
            if (!_pending || alarm != _alarm)
                return;
            _pending = false;
        }

        _completion.SetResult(true);
    }

    private void Cancel(CancellationToken token)
    {
        lock (_gate)
        {
            if (!_pending)
                return;
            _pending = false;

            // The timer may be about to ring for this pause; a new one for the next pause cannot be mistaken for it.
            _alarm?.Timer.Dispose();
            _alarm = null;
        }

        _completion.SetException(new OperationCanceledException(token));
    }

    /// <summary>A timer that ends the pauses of its owner until a cancellation drops it.</summary>
    private sealed class Alarm
    {
        private readonly LineTimer _owner;

        public Alarm(LineTimer owner, TimeProvider timeProvider)
        {
            _owner = owner;
            Timer = timeProvider.CreateTimer(
                static state => ((Alarm)state!).Ring(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        }

        public ITimer Timer { get; }

        private void Ring() => _owner.Ring(this);
    }
}
