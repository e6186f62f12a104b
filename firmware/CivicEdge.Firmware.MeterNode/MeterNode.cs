using System;
using CivicEdge.Firmware.Core.Hal;
using CivicEdge.Firmware.Core.Scheduling;

namespace CivicEdge.Firmware.MeterNode;

/// <summary>
/// The water/gas/heat meter node: counts the meter's pulses (with their direction when the head has two contacts),
/// keeps the totals in a power-loss-safe journal, and watches for reverse flow, leaks, a magnet on the head and a cut
/// cable. <see cref="Poll"/> is one pass of the main loop; it must run often enough to see every contact level (at
/// least twice per debounce time at the meter's overload flow).
/// </summary>
public sealed class MeterNode : IScheduledJob
{
    private static readonly long EpochTicks = new DateTime(2000, 1, 1, 0, 0, 0, DateTimeKind.Utc).Ticks;

    private readonly MeterNodeConfiguration _configuration;
    private readonly IClock _clock;
    private readonly IDigitalInput _pinA;
    private readonly IDigitalInput _pinB;
    private readonly IDigitalInput _tamperPin;
    private readonly IDigitalInput _cableLoopPin;
    private DebouncedContact _contactA;
    private DebouncedContact _contactB;
    private DebouncedContact _tamperReed;
    private DebouncedContact _cableLoop;
    private QuadratureDecoder _decoder;
    private long _lastPulseMilliseconds = -1;
    private long _lastIntervalMilliseconds;
    private int _lastDirection = 1;
    private bool _flagsChanged;

    /// <param name="configuration">How the node is wired and when it persists and alarms.</param>
    /// <param name="clock">Uptime for debouncing and flow; wall time, kept by the RTC through deep sleep, for leaks.</param>
    /// <param name="storage">Flash for the journal.</param>
    /// <param name="contactA">The pulse contact (the leading one of a quadrature pair).</param>
    /// <param name="contactB">The trailing contact of a quadrature pair; null for <see cref="ContactSensing.SingleContact"/>.</param>
    /// <param name="tamperReed">A reed beside the head, out of the dial magnet's reach, that closes only for a foreign magnet; or null.</param>
    /// <param name="cableLoop">A wire looped through the sensor cable to ground: the pin reads high once the cable is cut; or null.</param>
    public MeterNode(
        MeterNodeConfiguration configuration,
        IClock clock,
        ISettingsStorage storage,
        IDigitalInput contactA,
        IDigitalInput contactB,
        IDigitalInput tamperReed,
        IDigitalInput cableLoop)
    {
        if (configuration.Sensing == ContactSensing.Quadrature && contactB == null)
        {
            throw new ArgumentException("Quadrature sensing needs contact B; found none. Wire the second contact or use SingleContact.");
        }

        if (configuration.PulseWeightMillilitres < 1)
        {
            throw new ArgumentException("PulseWeightMillilitres: expected at least 1; found " + configuration.PulseWeightMillilitres.ToString() + ".");
        }

        _configuration = configuration;
        _clock = clock;
        _pinA = contactA;
        _pinB = contactB;
        _tamperPin = tamperReed;
        _cableLoopPin = cableLoop;
        Journal = new TotalsJournal(storage, configuration.JournalSlots);
        Registers = new MeterRegisterMap(this);
    }

    /// <summary>What the node keeps across power loss and deep sleep.</summary>
    public MeterState State { get; } = new MeterState();

    public TotalsJournal Journal { get; }

    /// <summary>The node's registers as a gateway reads them over Modbus.</summary>
    public MeterRegisterMap Registers { get; }

    /// <summary>Whether <see cref="Start"/> found the totals in the journal (false for a new node).</summary>
    public bool Recovered { get; private set; }

    /// <summary>Pulses counted since the journal was last written: what a power cut now would lose.</summary>
    public int UnsavedPulses { get; private set; }

    /// <summary>Quadrature transitions in which both contacts changed at once.</summary>
    public int QuadratureErrors => _decoder == null ? 0 : _decoder.Errors;

    /// <summary>Flow in litres per hour from the time between the last pulses; negative for reverse flow.</summary>
    public int FlowLitresPerHour { get; private set; }

    /// <summary>Uptime at which a contact last changed level: a battery node stays awake while the dial turns.</summary>
    public long LastActivityMilliseconds { get; private set; }

    /// <summary>Seconds since 2000-01-01 UTC by the node's clock, the time base of everything kept across sleep.</summary>
    public uint NowSeconds => (uint)((_clock.UtcNow.Ticks - EpochTicks) / TimeSpan.TicksPerSecond);

    /// <summary>Recovers the state from the journal (or starts from the configuration) and reads the contacts.</summary>
    public void Start()
    {
        long now = _clock.UptimeMilliseconds;
        Recovered = Journal.Recover(State);
        if (!Recovered)
        {
            State.PulseWeightMillilitres = (uint)_configuration.PulseWeightMillilitres;
            SetMeterNumber(_configuration.MeterNumber);
        }

        _contactA = new DebouncedContact(_pinA, _configuration.DebounceMilliseconds, now);
        _contactB = _pinB == null ? null : new DebouncedContact(_pinB, _configuration.DebounceMilliseconds, now);
        _tamperReed = _tamperPin == null ? null : new DebouncedContact(_tamperPin, _configuration.DebounceMilliseconds, now);
        _cableLoop = _cableLoopPin == null ? null : new DebouncedContact(_cableLoopPin, _configuration.DebounceMilliseconds, now);
        if (_configuration.Sensing == ContactSensing.Quadrature)
        {
            _decoder = new QuadratureDecoder(State.ContactState, State.Quarters);

            // The dial may have moved while the node slept (deep sleep wakes on contact A alone) or was off.
            int likely = State.Has(MeterState.ReverseFlowFlag) ? -1 : 1;
            Count(_decoder.Resume(_contactA.IsClosed, _contactB.IsClosed, likely), now);
        }

        LastActivityMilliseconds = now;
        Registers.Refresh();
    }

    /// <summary>One pass of the main loop: samples the contacts, counts, updates the alarms, persists when due.</summary>
    public void Poll()
    {
        long now = _clock.UptimeMilliseconds;
        bool aChanged = _contactA.Sample(now);
        bool bChanged = _contactB != null && _contactB.Sample(now);
        if (aChanged || bChanged)
        {
            LastActivityMilliseconds = now;
            if (_decoder != null)
            {
                Count(_decoder.Step(_contactA.IsClosed, _contactB.IsClosed), now);
            }
            else if (aChanged && _contactA.IsClosed)
            {
                Count(1, now);
            }
        }

        WatchTamper(now);
        UpdateFlow(now);
        if (UnsavedPulses >= _configuration.PersistEveryPulses
            || _flagsChanged
            || (UnsavedPulses > 0 && now - LastActivityMilliseconds >= _configuration.PersistAfterStillMilliseconds))
        {
            Persist();
        }

        Registers.Refresh();
    }

    /// <summary>The main loop's job: one <see cref="Poll"/>.</summary>
    public void Run(long uptimeMilliseconds) => Poll();

    /// <summary>Writes the journal if anything is unsaved: before a deep sleep, which loses RAM.</summary>
    public void PrepareForSleep()
    {
        if (UnsavedPulses > 0 || _flagsChanged || (_decoder != null && (_decoder.State != State.ContactState || _decoder.Quarters != State.Quarters)))
        {
            Persist();
        }
    }

    /// <summary>Changes the pulse weight (from a gateway's write): pulses from now on count with the new weight.</summary>
    public bool SetPulseWeight(uint millilitres)
    {
        if (millilitres < 1 || millilitres > 10000000)
        {
            return false;
        }

        State.PulseWeightMillilitres = millilitres;
        Persist();
        return true;
    }

    /// <summary>Sets the meter number (up to 8 ASCII characters; longer is cut).</summary>
    public void SetMeterNumber(string number)
    {
        for (int i = 0; i < State.MeterNumber.Length; i++)
        {
            State.MeterNumber[i] = number != null && i < number.Length ? (byte)number[i] : (byte)0;
        }
    }

    /// <summary>Persists a meter number written byte by byte by a gateway.</summary>
    public void CommitMeterNumber() => Persist();

    /// <summary>Records that a battery node sent its report now.</summary>
    public void MarkReported()
    {
        State.LastReportSeconds = NowSeconds;
        Persist();
    }

    private void Count(int direction, long nowMilliseconds)
    {
        if (direction == 0)
        {
            return;
        }

        uint weight = State.PulseWeightMillilitres;
        if (direction > 0)
        {
            State.ForwardPulses++;
            State.ForwardMillilitres += weight;
        }
        else
        {
            State.ReversePulses++;
            State.ReverseMillilitres += weight;
        }

        UnsavedPulses++;
        TrackDirection(direction);
        if (_lastPulseMilliseconds >= 0)
        {
            _lastIntervalMilliseconds = nowMilliseconds - _lastPulseMilliseconds;
        }

        _lastPulseMilliseconds = nowMilliseconds;
        _lastDirection = direction;

        uint seconds = NowSeconds;
        if (State.LastPulseSeconds == 0 || seconds - State.LastPulseSeconds >= (uint)_configuration.StillSeconds)
        {
            State.FlowingSinceSeconds = seconds;
        }

        State.LastPulseSeconds = seconds;
    }

    private void TrackDirection(int direction)
    {
        bool raised = State.Has(MeterState.ReverseFlowFlag);
        bool against = raised ? direction > 0 : direction < 0;
        State.DirectionRun = against ? State.DirectionRun + 1 : 0;
        if (State.DirectionRun >= _configuration.ReversePulsesForAlarm)
        {
            Raise(MeterState.ReverseFlowFlag, !raised);
            State.DirectionRun = 0;
        }
    }

    private void WatchTamper(long now)
    {
        bool magnet = false;
        if (_tamperReed != null)
        {
            _tamperReed.Sample(now);
            magnet = _tamperReed.IsClosed;
        }

        if (_decoder != null && _contactA.IsClosed && _contactB.IsClosed
            && now - _contactA.StableSinceMilliseconds >= _configuration.MagnetHoldMilliseconds
            && now - _contactB.StableSinceMilliseconds >= _configuration.MagnetHoldMilliseconds)
        {
            magnet = true;
        }

        if (magnet && !State.Has(MeterState.MagnetFlag))
        {
            State.MagnetEvents++;
        }

        Raise(MeterState.MagnetFlag, magnet);

        if (_cableLoop != null)
        {
            _cableLoop.Sample(now);

            // The loop wire pulls the pin to ground; a cut cable leaves it to the pull-up, which reads as "open".
            bool cut = !_cableLoop.IsClosed;
            if (cut && !State.Has(MeterState.CableCutFlag))
            {
                State.CableCutEvents++;
            }

            Raise(MeterState.CableCutFlag, cut);
        }
    }

    private void UpdateFlow(long now)
    {
        long sinceLast = _lastPulseMilliseconds < 0 ? long.MaxValue : now - _lastPulseMilliseconds;
        if (sinceLast >= (long)_configuration.StillSeconds * 1000 || _lastIntervalMilliseconds <= 0)
        {
            FlowLitresPerHour = 0;
        }
        else
        {
            // Between pulses the true flow is at most one pulse per time since the last one: the rate decays as the
            // wait grows instead of holding the last interval's rate after the water stopped.
            long interval = sinceLast > _lastIntervalMilliseconds ? sinceLast : _lastIntervalMilliseconds;
            long litresPerHour = (long)State.PulseWeightMillilitres * 3600 / interval;
            FlowLitresPerHour = (int)(_lastDirection * litresPerHour);
        }

        uint seconds = NowSeconds;
        bool flowing = State.LastPulseSeconds != 0 && seconds - State.LastPulseSeconds < (uint)_configuration.StillSeconds;
        Raise(MeterState.LeakFlag, flowing && seconds - State.FlowingSinceSeconds >= (uint)_configuration.LeakSeconds);
    }

    private void Raise(int flag, bool raised)
    {
        if (State.Has(flag) != raised)
        {
            State.Set(flag, raised);
            _flagsChanged = true;
        }
    }

    private void Persist()
    {
        if (_decoder != null)
        {
            State.ContactState = _decoder.State;
            State.Quarters = _decoder.Quarters;
        }

        Journal.Append(State);
        UnsavedPulses = 0;
        _flagsChanged = false;
    }
}
