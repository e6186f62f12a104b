using System.Threading.Tasks.Sources;

namespace CivicEdge.Modbus;

/// <summary>
/// One request of a <see cref="ModbusTcpMaster"/> waiting for its answer: a reusable awaitable that whichever comes
/// first completes — the answer, the response timeout, the caller's cancellation or the loss of the connection.
/// Pooled per master, so that a steady poll allocates nothing.
/// </summary>
internal sealed class ModbusTcpPendingRequest : IValueTaskSource<ModbusResult>
{
    private const int Free = 0;
    private const int Waiting = 1;
    private const int Completed = 2;

    private readonly TimeProvider _timeProvider;
    private readonly ITimer _timer;
    private ManualResetValueTaskSourceCore<ModbusResult> _core;
    private int _state;
    private long _armedAt;
    private TimeSpan _timeout;
    private CancellationTokenRegistration _cancellation;

    public ModbusTcpPendingRequest(TimeProvider timeProvider)
    {
        _timeProvider = timeProvider;
        _timer = timeProvider.CreateTimer(static state => ((ModbusTcpPendingRequest)state!).OnTimer(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    public ModbusTransaction Transaction { get; private set; }

    public ushort TransactionId { get; private set; }

    /// <summary>The connection the request went out on; an answer or a failure of another connection is not its own.</summary>
    public int Connection { get; private set; }

    public bool IsWaiting => Volatile.Read(ref _state) == Waiting;

    /// <summary>Called when the timeout passed without an answer; gets the chance to complete the request.</summary>
    public Action<ModbusTcpPendingRequest>? TimedOut { get; set; }

    public bool TryRent() => Interlocked.CompareExchange(ref _state, Completed, Free) == Free;

    /// <summary>Makes the request wait for its answer. Call before sending, so that an answer cannot outrun it.</summary>
    public void Arm(in ModbusTransaction transaction, ushort transactionId, int connection, TimeSpan timeout)
    {
        // A retry re-arms: the cancellation registered for the attempt before must not reach this one.
        _cancellation.Dispose();
        _cancellation = default;
        _core.Reset();
        Transaction = transaction;
        TransactionId = transactionId;
        Connection = connection;
        _timeout = timeout;
        _armedAt = _timeProvider.GetTimestamp();
        Volatile.Write(ref _state, Waiting);
    }

    /// <summary>Starts the response timeout once the request is on its way.</summary>
    public void StartTimer(CancellationToken cancellationToken)
    {
        _armedAt = _timeProvider.GetTimestamp();
        _timer.Change(_timeout, Timeout.InfiniteTimeSpan);
        if (cancellationToken.CanBeCanceled)
        {
            _cancellation = cancellationToken.UnsafeRegister(static (state, token) =>
                ((ModbusTcpPendingRequest)state!).TryFail(new OperationCanceledException(token)), this);
        }
    }

    public ValueTask<ModbusResult> Result => new(this, _core.Version);

    /// <summary>Takes the request out of waiting so that nothing else completes it; the winner then calls <see cref="Complete"/>.</summary>
    public bool TryClaim() => Interlocked.CompareExchange(ref _state, Completed, Waiting) == Waiting;

    public void Complete(ModbusResult result)
    {
        _timer.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        _core.SetResult(result);
    }

    public bool TryComplete(ModbusResult result)
    {
        if (!TryClaim())
            return false;
        Complete(result);
        return true;
    }

    /// <summary>Back to the pool, once the caller has its result.</summary>
    public void Return()
    {
        // Waits for a cancellation callback that is running, so that it cannot reach the next use.
        _cancellation.Dispose();
        _cancellation = default;
        Transaction = default;
        Volatile.Write(ref _state, Free);
    }

    public void Dispose() => _timer.Dispose();

    ModbusResult IValueTaskSource<ModbusResult>.GetResult(short token) => _core.GetResult(token);

    ValueTaskSourceStatus IValueTaskSource<ModbusResult>.GetStatus(short token) => _core.GetStatus(token);

    void IValueTaskSource<ModbusResult>.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _core.OnCompleted(continuation, state, token, flags);

    private void TryFail(Exception exception)
    {
        if (!TryClaim())
            return;
        _timer.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        _core.SetException(exception);
    }

    private void OnTimer()
    {
        // A timer armed for an earlier use may fire late, and a coarse timer may fire a little early: only a request that
        // has really waited its timeout times out; an early one waits for the rest.
        if (!IsWaiting)
            return;
        var remaining = _timeout - _timeProvider.GetElapsedTime(_armedAt);
        if (remaining > TimeSpan.Zero)
            _timer.Change(remaining, Timeout.InfiniteTimeSpan);
        else
            TimedOut?.Invoke(this);
    }
}
