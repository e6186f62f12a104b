using CivicEdge.Firmware.Pole.Settings;

namespace CivicEdge.Firmware.Pole.Metering;

/// <summary>
/// Integrates the lamp's energy and burning time and decides when to save them. Flash endures some 10^5 erase cycles
/// per sector, so the counters are not written on every reading: they are saved when the supply is lost (the
/// controller's hold-up capacitor outlasts one small write), when the lamp goes out, and once an hour otherwise —
/// under 10 000 writes a year spread over two slots. A power loss that the supply monitor misses costs at most the
/// last hour.
/// </summary>
public sealed class CounterKeeper
{
    /// <summary>Longest time between saves, ms.</summary>
    public const long SaveIntervalMilliseconds = 3600000;

    /// <summary>Longest gap between two passes that is integrated; a longer one (a stalled loop) is counted as this.</summary>
    private const long MaxIntegrationMilliseconds = 60000;

    private readonly ICounterJournal _journal;
    private readonly PoleSettings _settings;
    private readonly EnergyCounters _counters = new EnergyCounters();
    private double _unsavedMilliwattHours;
    private long _lastUpdate = -1;
    private long _lastSave;
    private bool _wasLit;
    private bool _supplyWasUp;
    private bool _dirty;

    public CounterKeeper(ICounterJournal journal, PoleSettings settings)
    {
        _journal = journal;
        _settings = settings;
    }

    /// <summary>Energy since installation, Wh.</summary>
    public double EnergyWattHours => (_counters.EnergyMilliwattHours + _unsavedMilliwattHours) / 1000.0;

    /// <summary>Time lit since installation, ms.</summary>
    public long BurningMilliseconds => _counters.BurningMilliseconds;

    /// <summary>Whole hours lit since installation.</summary>
    public long BurningHours => _counters.BurningMilliseconds / 3600000;

    /// <summary>The time saved with the counters before this boot (UTC ticks, 0 for unknown).</summary>
    public long RestoredUtcTicks { get; private set; }

    /// <summary>Loads the counters saved before this boot; false when none were found (a new controller, or both copies lost).</summary>
    public bool Restore(long uptimeMilliseconds)
    {
        _lastSave = uptimeMilliseconds;
        if (!_journal.TryLoad(_counters))
        {
            return false;
        }

        RestoredUtcTicks = _counters.SavedAtUtcTicks;
        return true;
    }

    /// <summary>Adds this pass's energy and burning time and saves when it is time to.</summary>
    /// <param name="uptimeMilliseconds">Now.</param>
    /// <param name="activePower">Active power measured now, W.</param>
    /// <param name="lit">The lamp draws current.</param>
    /// <param name="supplyVoltage">Supply voltage measured now, V.</param>
    /// <param name="utcTicks">The best wall-clock time known now (UTC ticks), 0 when unknown.</param>
    public void Update(long uptimeMilliseconds, double activePower, bool lit, double supplyVoltage, long utcTicks)
    {
        if (_lastUpdate >= 0)
        {
            var elapsed = uptimeMilliseconds - _lastUpdate;
            if (elapsed > MaxIntegrationMilliseconds)
            {
                elapsed = MaxIntegrationMilliseconds;
            }

            _unsavedMilliwattHours += activePower * elapsed / 3600.0;
            if (lit)
            {
                _counters.BurningMilliseconds += elapsed;
            }

            if (elapsed > 0 && (activePower > 0 || lit))
            {
                _dirty = true;
            }
        }

        _lastUpdate = uptimeMilliseconds;
        var supplyUp = supplyVoltage >= _settings.SupplyLossVoltage;
        var supplyLost = _supplyWasUp && !supplyUp;
        var wentOut = _wasLit && !lit;
        _supplyWasUp = supplyUp;
        _wasLit = lit;
        if (supplyLost || (wentOut && _dirty) || uptimeMilliseconds - _lastSave >= SaveIntervalMilliseconds)
        {
            Save(uptimeMilliseconds, utcTicks);
        }
    }

    private void Save(long uptimeMilliseconds, long utcTicks)
    {
        var whole = (long)_unsavedMilliwattHours;
        _counters.EnergyMilliwattHours += whole;
        _unsavedMilliwattHours -= whole;
        _counters.SavedAtUtcTicks = utcTicks;
        _journal.Save(_counters);
        _lastSave = uptimeMilliseconds;
        _dirty = false;
    }
}
