using System.Device.Gpio;
using Microsoft.Extensions.Logging;

namespace CivicEdge.Gateway.Gpio;

/// <summary>
/// A digital input whose level counts only once it has held for <see cref="Filter"/>: a burst of edges (a reed contact
/// bouncing, a spike on a long cable) re-arms the filter, and when the pin has been quiet for that long its level is
/// read; if it differs from the accepted level, the change is accepted as of the first edge of the burst, otherwise
/// the burst is counted as <see cref="Rejected"/>. Reading the level after the quiet period, rather than trusting the
/// last edge's direction, keeps the input right even when the driver coalesces or drops edges.
/// </summary>
public sealed partial class DebouncedInput : IDisposable
{
    private readonly GpioController _controller;
    private readonly PinMode _mode;
    private readonly bool _activeLow;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly Action<bool, DateTimeOffset> _accepted;
    private readonly Lock _gate = new();
    private ITimer? _timer;
    private bool _active;
    private bool _settling;
    private DateTimeOffset _burstStart;
    private long _lastEdge;
    private long _edges;
    private long _rejected;
    private bool _opened;
    private bool _disposed;

    /// <param name="controller">The pins.</param>
    /// <param name="pin">The pin number.</param>
    /// <param name="mode">An input mode: with a pull-up, a pull-down or neither.</param>
    /// <param name="activeLow">True when the low level is the active one.</param>
    /// <param name="filter">How long a level must hold to count; zero accepts every edge at once.</param>
    /// <param name="timeProvider">The clock.</param>
    /// <param name="logger">Where read failures go.</param>
    /// <param name="accepted">Called with the new state (true: active) and when it began, under the input's lock, in order.</param>
    public DebouncedInput(
        GpioController controller,
        int pin,
        PinMode mode,
        bool activeLow,
        TimeSpan filter,
        TimeProvider timeProvider,
        ILogger logger,
        Action<bool, DateTimeOffset> accepted)
    {
        ArgumentNullException.ThrowIfNull(controller);
        ArgumentOutOfRangeException.ThrowIfNegative(pin);
        ArgumentOutOfRangeException.ThrowIfLessThan(filter, TimeSpan.Zero);
        if (mode == PinMode.Output)
            throw new ArgumentException("A debounced input needs an input mode.", nameof(mode));
        _controller = controller;
        Pin = pin;
        _mode = mode;
        _activeLow = activeLow;
        Filter = filter;
        _timeProvider = timeProvider ?? throw new ArgumentNullException(nameof(timeProvider));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
        _accepted = accepted ?? throw new ArgumentNullException(nameof(accepted));
    }

    public int Pin { get; }

    public TimeSpan Filter { get; }

    /// <summary>The accepted state: true while the input is active.</summary>
    public bool Active
    {
        get
        {
            lock (_gate)
                return _active;
        }
    }

    /// <summary>Every edge the driver reported.</summary>
    public long Edges => Interlocked.Read(ref _edges);

    /// <summary>Bursts of edges that ended at the level they started from: bounces and interference, not changes.</summary>
    public long Rejected => Interlocked.Read(ref _rejected);

    /// <summary>Opens the pin in its mode, takes its present level as accepted and starts watching both edges.</summary>
    /// <param name="opened">
    /// Called with the present state and time before any change can be accepted, so that whoever reports the state
    /// reports it in order with the changes that follow.
    /// </param>
    public void Open(Action<bool, DateTimeOffset>? opened = null)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_opened)
                throw new InvalidOperationException($"Pin {Pin} is already open.");
            _controller.OpenPin(Pin, _mode);
            _opened = true;
            _active = IsActive(_controller.Read(Pin));
            opened?.Invoke(_active, _timeProvider.GetUtcNow());
            _timer = _timeProvider.CreateTimer(_ => OnQuiet(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            _controller.RegisterCallbackForPinValueChangedEvent(Pin, PinEventTypes.Rising | PinEventTypes.Falling, OnEdge);
        }
    }

    /// <summary>Stops watching and closes the pin; a change still settling is dropped with the input.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed)
                return;
            _disposed = true;
            _timer?.Dispose();
        }

        // Outside the lock: a driver may hold its own lock while it calls OnEdge, which takes ours.
        if (_opened && _controller.IsPinOpen(Pin))
        {
            _controller.UnregisterCallbackForPinValueChangedEvent(Pin, OnEdge);
            _controller.ClosePin(Pin);
        }
    }

    private bool IsActive(PinValue level) => (level == PinValue.High) != _activeLow;

    /// <summary>Runs on the driver's event thread: only notes the edge and (re)arms the filter.</summary>
    private void OnEdge(object sender, PinValueChangedEventArgs args)
    {
        lock (_gate)
        {
            if (_disposed)
                return;
            Interlocked.Increment(ref _edges);
            if (!_settling)
            {
                _settling = true;
                _burstStart = _timeProvider.GetUtcNow();
            }

            _lastEdge = _timeProvider.GetTimestamp();
            if (Filter == TimeSpan.Zero)
                Settle();
            else
                _timer!.Change(Filter, Timeout.InfiniteTimeSpan);
        }
    }

    private void OnQuiet()
    {
        lock (_gate)
        {
            if (_disposed || !_settling)
                return;

            // An edge may have slipped in between the timer firing and this lock: wait out the rest of its filter.
            var quiet = _timeProvider.GetElapsedTime(_lastEdge);
            if (quiet < Filter)
            {
                _timer!.Change(Filter - quiet, Timeout.InfiniteTimeSpan);
                return;
            }

            Settle();
        }
    }

    private void Settle()
    {
        _settling = false;
        bool active;
        try
        {
            active = IsActive(_controller.Read(Pin));
        }
        catch (Exception ex) when (ex is IOException or InvalidOperationException)
        {
            // The next edge settles again; until then the accepted state stands.
            LogReadFailed(_logger, Pin, ex);
            return;
        }

        if (active == _active)
        {
            Interlocked.Increment(ref _rejected);
            return;
        }

        _active = active;
        _accepted(active, _burstStart);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "GPIO {Pin}: reading the level after an edge failed; the input keeps its last state")]
    private static partial void LogReadFailed(ILogger logger, int pin, Exception exception);
}
