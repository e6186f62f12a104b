namespace CivicEdge.Firmware.Pole.Metering;

/// <summary>Non-volatile home of the <see cref="EnergyCounters"/>; a save torn by a power loss must leave the previous one readable.</summary>
public interface ICounterJournal
{
    /// <summary>Fills <paramref name="into"/> with the last intact save; false when there is none.</summary>
    bool TryLoad(EnergyCounters into);

    /// <summary>Saves <paramref name="counters"/>.</summary>
    void Save(EnergyCounters counters);

    /// <summary>How many saves reached storage since boot (flash wears out: the keeper saves rarely).</summary>
    int Saves { get; }
}
