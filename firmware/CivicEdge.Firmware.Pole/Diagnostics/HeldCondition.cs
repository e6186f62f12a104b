namespace CivicEdge.Firmware.Pole.Diagnostics;

/// <summary>
/// A condition that counts only once it has held: it becomes true after the input has been true for the raise delay,
/// and false again after the input has been false for the clear delay. A debounced contact, an alarm with an on-delay,
/// a photocell that ignores headlights: each is raised and cleared once, not on every flicker.
/// </summary>
public sealed class HeldCondition
{
    private readonly int _raiseDelayMilliseconds;
    private readonly int _clearDelayMilliseconds;
    private bool _pending;
    private long _pendingSince;

    public HeldCondition(int raiseDelayMilliseconds, int clearDelayMilliseconds, bool initial)
    {
        _raiseDelayMilliseconds = raiseDelayMilliseconds;
        _clearDelayMilliseconds = clearDelayMilliseconds;
        IsSet = initial;
        _pending = initial;
    }

    /// <summary>The held state.</summary>
    public bool IsSet { get; private set; }

    /// <summary>Feeds the raw input at <paramref name="uptimeMilliseconds"/>; returns true when <see cref="IsSet"/> changed.</summary>
    public bool Update(bool input, long uptimeMilliseconds)
    {
        if (input != _pending)
        {
            _pending = input;
            _pendingSince = uptimeMilliseconds;
        }

        if (_pending == IsSet)
        {
            return false;
        }

        var delay = _pending ? _raiseDelayMilliseconds : _clearDelayMilliseconds;
        if (uptimeMilliseconds - _pendingSince < delay)
        {
            return false;
        }

        IsSet = _pending;
        return true;
    }
}
