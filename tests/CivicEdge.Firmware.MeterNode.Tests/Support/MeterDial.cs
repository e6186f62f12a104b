using CivicEdge.Firmware.Host;
using Microsoft.Extensions.Time.Testing;

namespace CivicEdge.Firmware.MeterNode.Tests.Support;

/// <summary>
/// A meter's dial with its magnet passing two reed contacts a quarter turn apart, wired to a meter node running on a
/// simulated clock. It turns the dial quarter by quarter, polling the node as its main loop would, and counts the turns
/// it really made, so a test can compare the node's totals with the truth.
/// </summary>
internal sealed class MeterDial
{
    // Contact states of a forward turn, A closed as the high bit: 00 → 10 → 11 → 01.
    private static readonly int[] Sequence = [0b00, 0b10, 0b11, 0b01];

    private int _phase;

    public MeterDial(FakeTimeProvider time, MeterNodeConfiguration? configuration = null, MemorySettingsStorage? storage = null)
    {
        Time = time;
        Configuration = configuration ?? new MeterNodeConfiguration();
        Storage = storage ?? new MemorySettingsStorage();
        Boot();
    }

    public FakeTimeProvider Time { get; }

    public MeterNodeConfiguration Configuration { get; }

    public MemorySettingsStorage Storage { get; }

    /// <summary>Pins read high while a contact is open (pull-up), low while it is closed.</summary>
    public SimulatedDigitalInput ContactA { get; } = new(level: true);

    public SimulatedDigitalInput ContactB { get; } = new(level: true);

    public SimulatedDigitalInput TamperReed { get; } = new(level: true);

    public SimulatedDigitalInput CableLoop { get; } = new(level: false);

    public MeterNode Node { get; private set; } = null!;

    public SimulatedClock Clock { get; private set; } = null!;

    /// <summary>Whole turns the dial really made forward, less those it made backwards.</summary>
    public int ForwardTurns { get; private set; }

    public int ReverseTurns { get; private set; }

    /// <summary>Powers the node up (again) on the same storage and pins: RAM is gone, flash and the dial are not.</summary>
    public void Boot()
    {
        Clock = new SimulatedClock(Time);
        Node = new MeterNode(Configuration, Clock, Storage, ContactA, ContactB, TamperReed, CableLoop);
        Node.Start();
    }

    /// <summary>Turns the dial one quarter (+1 forward, -1 back), holding each position <paramref name="dwellMilliseconds"/>.</summary>
    public void Quarter(int direction, int dwellMilliseconds = 12)
    {
        int before = _phase;
        _phase = (_phase + direction + 4) % 4;
        if (direction > 0 && before == 3)
            ForwardTurns++;
        if (direction < 0 && before == 0)
            ReverseTurns++;
        SetContacts(Sequence[_phase]);
        Run(dwellMilliseconds);
    }

    /// <summary>Turns the dial while nothing polls the node (it sleeps or has no power).</summary>
    public void TurnUnwatched(int quarters)
    {
        for (int i = 0; i < quarters; i++)
        {
            if (_phase == 3)
                ForwardTurns++;
            _phase = (_phase + 1) % 4;
        }

        SetContacts(Sequence[_phase]);
    }

    /// <summary>One whole pulse (four quarters) forward or back, then <paramref name="pauseMilliseconds"/> at rest.</summary>
    public void Pulse(int direction = 1, long pauseMilliseconds = 0, long stepPause = 1000)
    {
        for (int i = 0; i < 4; i++)
            Quarter(direction);
        if (pauseMilliseconds > 0)
            Rest(pauseMilliseconds, stepPause);
    }

    /// <summary>Lets time pass with the dial still, polling every <paramref name="stepMilliseconds"/>.</summary>
    public void Rest(long milliseconds, long stepMilliseconds = 1000)
    {
        while (milliseconds > 0)
        {
            long step = Math.Min(stepMilliseconds, milliseconds);
            Time.Advance(TimeSpan.FromMilliseconds(step));
            Node.Poll();
            milliseconds -= step;
        }
    }

    /// <summary>Polls every 2 ms for <paramref name="milliseconds"/>, as a main loop does while the dial moves.</summary>
    public void Run(int milliseconds)
    {
        Node.Poll();
        for (int elapsed = 0; elapsed < milliseconds; elapsed += 2)
        {
            Time.Advance(TimeSpan.FromMilliseconds(2));
            Node.Poll();
        }
    }

    private void SetContacts(int state)
    {
        ContactA.Level = (state & 0b10) == 0;
        ContactB.Level = (state & 0b01) == 0;
    }
}
