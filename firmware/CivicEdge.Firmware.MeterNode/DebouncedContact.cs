using CivicEdge.Firmware.Core.Hal;

namespace CivicEdge.Firmware.MeterNode;

/// <summary>
/// A dry contact (reed, Wiegand, tamper reed, cable loop) wired to ground with the pin pulled up: the pin reads low while
/// the contact is closed. A new level is believed only once it has held for the debounce time, so contact bounce and
/// short spikes on a long cable never count as pulses.
/// </summary>
public sealed class DebouncedContact
{
    private readonly IDigitalInput _pin;
    private readonly int _debounceMilliseconds;
    private bool _candidate;
    private long _candidateSinceMilliseconds;

    public DebouncedContact(IDigitalInput pin, int debounceMilliseconds, long nowMilliseconds)
    {
        _pin = pin;
        _debounceMilliseconds = debounceMilliseconds;
        IsClosed = !pin.Read();
        _candidate = IsClosed;
        _candidateSinceMilliseconds = nowMilliseconds;
        StableSinceMilliseconds = nowMilliseconds;
    }

    /// <summary>The debounced level: true while the contact is closed.</summary>
    public bool IsClosed { get; private set; }

    /// <summary>Uptime at which <see cref="IsClosed"/> last changed (or the contact was first read).</summary>
    public long StableSinceMilliseconds { get; private set; }

    /// <summary>Reads the pin once; returns true when the debounced level changed with this sample.</summary>
    public bool Sample(long nowMilliseconds)
    {
        bool closed = !_pin.Read();
        if (closed != _candidate)
        {
            _candidate = closed;
            _candidateSinceMilliseconds = nowMilliseconds;
        }

        if (_candidate == IsClosed || nowMilliseconds - _candidateSinceMilliseconds < _debounceMilliseconds)
        {
            return false;
        }

        IsClosed = _candidate;
        StableSinceMilliseconds = _candidateSinceMilliseconds;
        return true;
    }
}
