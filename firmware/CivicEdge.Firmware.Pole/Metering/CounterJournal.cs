using CivicEdge.Firmware.Core.Hal;
using CoreJournal = CivicEdge.Firmware.Core.Settings.CounterJournal;

namespace CivicEdge.Firmware.Pole.Metering;

/// <summary>
/// The counters in the core's wear-levelled <see cref="CoreJournal"/>: a ring of <see cref="Slots"/> records
/// "pole.counters.0" … ".7", each commit into the next slot, so the hourly saves spread over eight flash slots and a
/// torn commit costs only the oldest record.
/// </summary>
public sealed class CounterJournal : ICounterJournal
{
    /// <summary>Records in the ring.</summary>
    public const int Slots = 8;

    private const int Energy = 0;
    private const int Burning = 1;
    private const int SavedAt = 2;

    private readonly CoreJournal _journal;

    public CounterJournal(ISettingsStorage storage)
    {
        _journal = new CoreJournal(storage, "pole.counters", 3, Slots);
    }

    public int Saves => (int)_journal.Commits;

    /// <summary>Records set aside as torn or corrupt at the last load.</summary>
    public int DamagedRecords => _journal.DamagedRecords;

    public bool TryLoad(EnergyCounters into)
    {
        if (!_journal.Load())
        {
            return false;
        }

        into.EnergyMilliwattHours = _journal.Get(Energy);
        into.BurningMilliseconds = _journal.Get(Burning);
        into.SavedAtUtcTicks = _journal.Get(SavedAt);
        return true;
    }

    public void Save(EnergyCounters counters)
    {
        _journal.Set(Energy, counters.EnergyMilliwattHours);
        _journal.Set(Burning, counters.BurningMilliseconds);
        _journal.Set(SavedAt, counters.SavedAtUtcTicks);
        _journal.Commit();
    }
}
