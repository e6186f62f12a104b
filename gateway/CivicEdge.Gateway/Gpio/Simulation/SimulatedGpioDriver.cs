using System.Device.Gpio;

namespace CivicEdge.Gateway.Gpio.Simulation;

/// <summary>
/// A GPIO chip in memory, for tests, simulators and the demo. Outside the gateway, a script plays the field: it
/// <see cref="Drive"/>s input pins high or low (a door contact, a meter's pulse output) and <see cref="Release"/>s them
/// to their pull resistor; each change of level raises the rising or falling edge callbacks the gateway registered, as
/// the kernel's edge detection does on a real chip. What the gateway writes to output pins is kept for the script to
/// check (<see cref="Level"/>, <see cref="Writes"/>).
/// </summary>
/// <remarks>
/// Callbacks run on the thread that drives the pin, synchronously, so that a test stepping a fake clock knows every
/// edge has been seen when <see cref="Drive"/> returns; the real drivers raise them on an event thread of their own.
/// A floating input (no pull resistor, not driven) reads low.
/// </remarks>
public sealed class SimulatedGpioDriver : GpioDriver
{
    private readonly Lock _gate = new();
    private readonly Dictionary<int, SimulatedPin> _pins = [];
    private readonly bool _supportsPullResistors;
    private readonly int _pinCount;

    /// <param name="pinCount">How many lines the simulated chip has.</param>
    /// <param name="supportsPullResistors">False to behave as the sysfs driver does, which cannot set pull resistors.</param>
    public SimulatedGpioDriver(int pinCount = 64, bool supportsPullResistors = true)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(pinCount);
        _pinCount = pinCount;
        _supportsPullResistors = supportsPullResistors;
    }

    protected override int PinCount => _pinCount;

    /// <summary>Drives <paramref name="pin"/> from outside to <paramref name="level"/>, raising an edge if its level changes.</summary>
    public void Drive(int pin, PinValue level) => Change(pin, p => p.External = level);

    /// <summary>Stops driving <paramref name="pin"/> from outside: its pull resistor decides its level again.</summary>
    public void Release(int pin) => Change(pin, p => p.External = null);

    /// <summary>The level <paramref name="pin"/> reads (an input) or drives (an output) now.</summary>
    public PinValue Level(int pin)
    {
        lock (_gate)
            return Pin(pin).Level;
    }

    /// <summary>The mode the gateway opened <paramref name="pin"/> in, or null while it is closed.</summary>
    public PinMode? Mode(int pin)
    {
        lock (_gate)
            return Pin(pin) is { IsOpen: true } open ? open.Mode : null;
    }

    /// <summary>Every level written to <paramref name="pin"/> as an output, oldest first, including the initial one.</summary>
    public IReadOnlyList<PinValue> Writes(int pin)
    {
        lock (_gate)
            return [.. Pin(pin).Writes];
    }

    /// <summary>How many edge callbacks are registered on <paramref name="pin"/>.</summary>
    public int Callbacks(int pin)
    {
        lock (_gate)
            return Pin(pin).Callbacks.Count;
    }

    protected override void OpenPin(int pinNumber)
    {
        lock (_gate)
        {
            var pin = Pin(pinNumber);
            if (pin.IsOpen)
                throw new InvalidOperationException($"Pin {pinNumber} is already open.");
            pin.IsOpen = true;
            pin.Mode = PinMode.Input;
        }
    }

    protected override void ClosePin(int pinNumber)
    {
        lock (_gate)
        {
            var pin = Pin(pinNumber);
            pin.IsOpen = false;
            pin.Callbacks.Clear();
        }
    }

    protected override void SetPinMode(int pinNumber, PinMode mode) => SetMode(pinNumber, mode, initialValue: null);

    protected override void SetPinMode(int pinNumber, PinMode mode, PinValue initialValue) => SetMode(pinNumber, mode, initialValue);

    protected override PinMode GetPinMode(int pinNumber)
    {
        lock (_gate)
            return Open(pinNumber).Mode;
    }

    protected override bool IsPinModeSupported(int pinNumber, PinMode mode) =>
        mode is PinMode.Input or PinMode.Output || _supportsPullResistors;

    protected override PinValue Read(int pinNumber)
    {
        lock (_gate)
            return Open(pinNumber).Level;
    }

    protected override void Write(int pinNumber, PinValue value)
    {
        lock (_gate)
        {
            var pin = Open(pinNumber);
            if (pin.Mode != PinMode.Output)
                throw new InvalidOperationException($"Pin {pinNumber} is an input ({pin.Mode}); only an output can be written.");
            pin.Latch = value;
            pin.Writes.Add(value);
        }
    }

    protected override WaitForEventResult WaitForEvent(int pinNumber, PinEventTypes eventTypes, CancellationToken cancellationToken)
    {
        try
        {
            return WaitForEventAsync(pinNumber, eventTypes, cancellationToken).AsTask().GetAwaiter().GetResult();
        }
        catch (OperationCanceledException)
        {
            return new WaitForEventResult { TimedOut = true, EventTypes = PinEventTypes.None };
        }
    }

    protected override async ValueTask<WaitForEventResult> WaitForEventAsync(int pinNumber, PinEventTypes eventTypes, CancellationToken cancellationToken)
    {
        var edge = new TaskCompletionSource<PinEventTypes>(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnEdge(object sender, PinValueChangedEventArgs args) => edge.TrySetResult(args.ChangeType);
        AddCallbackForPinValueChangedEvent(pinNumber, eventTypes, OnEdge);
        try
        {
            var type = await edge.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
            return new WaitForEventResult { TimedOut = false, EventTypes = type };
        }
        catch (OperationCanceledException)
        {
            return new WaitForEventResult { TimedOut = true, EventTypes = PinEventTypes.None };
        }
        finally
        {
            RemoveCallbackForPinValueChangedEvent(pinNumber, OnEdge);
        }
    }

    protected override void AddCallbackForPinValueChangedEvent(int pinNumber, PinEventTypes eventTypes, PinChangeEventHandler callback)
    {
        ArgumentNullException.ThrowIfNull(callback);
        lock (_gate)
            Open(pinNumber).Callbacks.Add((eventTypes, callback));
    }

    protected override void RemoveCallbackForPinValueChangedEvent(int pinNumber, PinChangeEventHandler callback)
    {
        lock (_gate)
            Pin(pinNumber).Callbacks.RemoveAll(entry => entry.Callback == callback);
    }

    private void SetMode(int pinNumber, PinMode mode, PinValue? initialValue)
    {
        if (!IsPinModeSupported(pinNumber, mode))
            throw new InvalidOperationException($"Pin {pinNumber} cannot be set to {mode}: this chip has no pull resistors.");
        Change(pinNumber, pin =>
        {
            if (!pin.IsOpen)
                throw new InvalidOperationException($"Pin {pinNumber} is not open.");
            if (mode == PinMode.Output && (initialValue is not null || pin.Mode != PinMode.Output))
            {
                // An output starts at the requested level, or low, without first driving whatever the latch held.
                pin.Latch = initialValue ?? PinValue.Low;
                pin.Writes.Add(pin.Latch);
            }

            pin.Mode = mode;
        });
    }

    /// <summary>Applies <paramref name="change"/> and raises the edge callbacks of the level change it caused, if any.</summary>
    private void Change(int pinNumber, Action<SimulatedPin> change)
    {
        (PinEventTypes Types, PinChangeEventHandler Callback)[] callbacks;
        PinEventTypes edge;
        lock (_gate)
        {
            var pin = Pin(pinNumber);
            var before = pin.Level;
            var wasInput = pin.IsOpen && pin.Mode != PinMode.Output;
            change(pin);
            var after = pin.Level;
            if (!wasInput || pin.Mode == PinMode.Output || before == after)
                return;
            edge = after == PinValue.High ? PinEventTypes.Rising : PinEventTypes.Falling;
            callbacks = [.. pin.Callbacks];
        }

        var args = new PinValueChangedEventArgs(edge, pinNumber);
        foreach (var (types, callback) in callbacks)
        {
            if ((types & edge) != 0)
                callback(this, args);
        }
    }

    private SimulatedPin Pin(int pinNumber)
    {
        if (pinNumber < 0 || pinNumber >= _pinCount)
            throw new ArgumentOutOfRangeException(nameof(pinNumber), pinNumber, $"The simulated chip has pins 0..{_pinCount - 1}.");
        if (!_pins.TryGetValue(pinNumber, out var pin))
            _pins[pinNumber] = pin = new SimulatedPin();
        return pin;
    }

    private SimulatedPin Open(int pinNumber)
    {
        var pin = Pin(pinNumber);
        return pin.IsOpen ? pin : throw new InvalidOperationException($"Pin {pinNumber} is not open.");
    }

    private sealed class SimulatedPin
    {
        public bool IsOpen { get; set; }

        public PinMode Mode { get; set; } = PinMode.Input;

        public PinValue? External { get; set; }

        public PinValue Latch { get; set; } = PinValue.Low;

        public List<PinValue> Writes { get; } = [];

        public List<(PinEventTypes Types, PinChangeEventHandler Callback)> Callbacks { get; } = [];

        public PinValue Level => Mode switch
        {
            PinMode.Output => Latch,
            _ when External is { } driven => driven,
            PinMode.InputPullUp => PinValue.High,
            _ => PinValue.Low,
        };
    }
}
