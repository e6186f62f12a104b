using System.Device.Gpio;
using CivicEdge.Fleet.Contracts;
using CivicEdge.Gateway.Acquisition;
using CivicEdge.Gateway.Configuration;
using Microsoft.Extensions.Logging;

namespace CivicEdge.Gateway.Gpio;

/// <summary>
/// A door contact: its debounced state becomes a point (<c>door_open</c>, 0 closed, 1 open) and an alarm raised while
/// the door is open and cleared when it closes, both for the device the door belongs to.
/// </summary>
public sealed class DoorContact : IDisposable
{
    private readonly DebouncedInput _input;
    private readonly Action<DoorChange> _changed;

    /// <param name="options">The door's configuration, validated.</param>
    /// <param name="controller">The pins.</param>
    /// <param name="pull">The input mode that requests the configured pull resistor, or plain input if the driver has none.</param>
    /// <param name="timeProvider">The clock.</param>
    /// <param name="logger">Where input failures go.</param>
    /// <param name="changed">Called with the state at start and every accepted change after it, in order; must not block.</param>
    public DoorContact(
        DoorContactOptions options,
        GpioController controller,
        PinMode pull,
        TimeProvider timeProvider,
        ILogger logger,
        Action<DoorChange> changed)
    {
        ArgumentNullException.ThrowIfNull(options);
        Options = options;
        GpioVocabulary.TryParseSeverity(options.Severity, out var severity);
        Severity = severity;
        _changed = changed ?? throw new ArgumentNullException(nameof(changed));
        _input = new DebouncedInput(controller, options.Pin!.Value, pull, options.ActiveLow, options.Debounce, timeProvider, logger,
            (open, at) => _changed(new DoorChange(this, open, at, AtStartUp: false)));
    }

    public DoorContactOptions Options { get; }

    public EventSeverity Severity { get; }

    /// <summary>The input, with its edge and rejected-burst counts.</summary>
    public DebouncedInput Input => _input;

    /// <summary>True while the door is open (after debouncing).</summary>
    public bool IsOpen => _input.Active;

    /// <summary>Opens the input, reports its present state and from then on every accepted change.</summary>
    public void Start() => _input.Open((open, at) => _changed(new DoorChange(this, open, at, AtStartUp: true)));

    /// <summary>The door's state as a reading.</summary>
    public DeviceReading Reading(DoorChange change)
    {
        ArgumentNullException.ThrowIfNull(change);
        return new DeviceReading(Options.DeviceId, null, change.At,
            [new PointValue(Options.Point, change.Open ? 1 : 0, "1", "door_state", Quality.Good)]);
    }

    /// <summary>
    /// The alarm raised (door open) or cleared (door closed). At start-up the state is asserted either way: the event
    /// of a change just before a restart may not have reached the outbox, and the fleet treats a repeated raise or a
    /// clear of an alarm that is not active as no change.
    /// </summary>
    public DeviceEvent Event(DoorChange change)
    {
        ArgumentNullException.ThrowIfNull(change);
        var message = change.AtStartUp
            ? $"Door '{Options.Name}' (GPIO {Options.Pin}) is {(change.Open ? "open" : "closed")} at start-up"
            : $"Door '{Options.Name}' (GPIO {Options.Pin}) {(change.Open ? "opened" : "closed")}";
        return new DeviceEvent(Options.DeviceId, change.At, Options.Point, change.Open ? EventState.Raised : EventState.Cleared, Severity,
            message, Options.Point, change.Open ? 1 : 0);
    }

    public void Dispose() => _input.Dispose();
}
