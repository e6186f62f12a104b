namespace CivicEdge.Firmware.MeterNode;

/// <summary>
/// Decodes two contacts a quarter turn apart into whole pulses with a direction. The pair steps through the Gray code
/// 00 → 10 → 11 → 01 → 00 (A closed is the high bit) when the dial turns forward, the other way round when it turns
/// back. Quarter steps are summed and a pulse is counted only when the sum reaches a whole turn (±4), so a dial
/// trembling on an edge (water hammer, vibration) adds and takes back the same quarter and counts nothing, in either
/// direction. A jump of both contacts at once cannot be a turn of the dial: it is counted as an error and not as a step.
/// </summary>
public sealed class QuadratureDecoder
{
    private const int QuartersPerPulse = 4;

    // Quarter steps by (previous state << 2 | new state); 0 for no change, 2 for a double step (an error).
    private static readonly sbyte[] Steps =
    {
        0, -1, 1, 2,
        1, 0, 2, -1,
        -1, 2, 0, 1,
        2, 1, -1, 0,
    };

    // The state after one quarter forward, and one quarter back, from each state.
    private static readonly byte[] ForwardFrom = { 2, 0, 3, 1 };
    private static readonly byte[] BackFrom = { 1, 3, 0, 2 };

    private int _state;
    private int _quarters;

    /// <param name="state">The contacts' present state: bit 1 is A closed, bit 0 is B closed.</param>
    /// <param name="quarters">Quarter steps already made towards the next pulse (-3..3), from the journal.</param>
    public QuadratureDecoder(int state, int quarters)
    {
        _state = state & 3;
        _quarters = quarters > 3 || quarters < -3 ? 0 : quarters;
    }

    /// <summary>The last state seen (bit 1: A closed, bit 0: B closed).</summary>
    public int State => _state;

    /// <summary>Quarter steps made towards the next pulse, -3..3; kept in the journal so that a reboot does not lose them.</summary>
    public int Quarters => _quarters;

    /// <summary>Transitions in which both contacts changed at once: too fast a dial, a missed sample, or a fault.</summary>
    public int Errors { get; private set; }

    /// <summary>
    /// Takes the contacts' state after a sleep or power-off in which nothing watched them. A dial that moved half a turn
    /// meanwhile shows both contacts changed; that jump is taken as two quarters in <paramref name="likelyDirection"/>
    /// (the way the water last flowed) instead of being dropped as an error. Returns as <see cref="Step"/> does.
    /// </summary>
    public int Resume(bool aClosed, bool bClosed, int likelyDirection)
    {
        int next = (aClosed ? 2 : 0) | (bClosed ? 1 : 0);
        if (Steps[(_state << 2) | next] != 2)
        {
            return Step(aClosed, bClosed);
        }

        int between = likelyDirection < 0 ? BackFrom[_state] : ForwardFrom[_state];
        int first = Step((between & 2) != 0, (between & 1) != 0);
        return first + Step(aClosed, bClosed);
    }

    /// <summary>Takes the contacts' new state; returns +1 for a forward pulse, -1 for a reverse pulse, 0 otherwise.</summary>
    public int Step(bool aClosed, bool bClosed)
    {
        int next = (aClosed ? 2 : 0) | (bClosed ? 1 : 0);
        int step = Steps[(_state << 2) | next];
        _state = next;
        if (step == 2)
        {
            Errors++;
            return 0;
        }

        _quarters += step;
        if (_quarters >= QuartersPerPulse)
        {
            _quarters -= QuartersPerPulse;
            return 1;
        }

        if (_quarters <= -QuartersPerPulse)
        {
            _quarters += QuartersPerPulse;
            return -1;
        }

        return 0;
    }
}
