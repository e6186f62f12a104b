namespace CivicEdge.Firmware.Pole.Diagnostics;

/// <summary>
/// Raised and cleared events waiting for the uplink, in a preallocated ring. When it is full the oldest entry gives way
/// and <see cref="Dropped"/> counts it, so the fleet learns that it missed something.
/// </summary>
public sealed class PoleEventLog
{
    /// <summary>Entries held before the oldest gives way.</summary>
    public const int Capacity = 32;

    private readonly PoleEvent[] _events = new PoleEvent[Capacity];
    private readonly bool[] _raised = new bool[Capacity];
    private readonly long[] _utcTicks = new long[Capacity];
    private int _first;

    /// <summary>Entries waiting.</summary>
    public int Count { get; private set; }

    /// <summary>Entries overwritten before anyone took them.</summary>
    public int Dropped { get; private set; }

    /// <summary>Entries recorded since boot.</summary>
    public int Recorded { get; private set; }

    /// <summary>Appends an event; <paramref name="utcTicks"/> is 0 when the time is unknown.</summary>
    public void Record(PoleEvent poleEvent, bool raised, long utcTicks)
    {
        if (Count == Capacity)
        {
            _first = (_first + 1) % Capacity;
            Count--;
            Dropped++;
        }

        var index = (_first + Count) % Capacity;
        _events[index] = poleEvent;
        _raised[index] = raised;
        _utcTicks[index] = utcTicks;
        Count++;
        Recorded++;
    }

    /// <summary>The event of the <paramref name="index"/>-th waiting entry, oldest first.</summary>
    public PoleEvent EventAt(int index) => _events[(_first + index) % Capacity];

    /// <summary>Whether the entry raised (true) or cleared (false) its event.</summary>
    public bool RaisedAt(int index) => _raised[(_first + index) % Capacity];

    /// <summary>When the entry happened (UTC ticks; 0 if the time was unknown).</summary>
    public long UtcTicksAt(int index) => _utcTicks[(_first + index) % Capacity];

    /// <summary>Drops the <paramref name="count"/> oldest entries, once the uplink has delivered them.</summary>
    public void Remove(int count)
    {
        var n = count > Count ? Count : count;
        _first = (_first + n) % Capacity;
        Count -= n;
    }
}
