using CivicEdge.Firmware.Core.Hal;
using CivicEdge.Firmware.Pole.Settings;

namespace CivicEdge.Firmware.Pole.Metering;

/// <summary>The counters in settings storage, slot "pole.counters", two copies with sequence and CRC (<see cref="DualSlotRecord"/>).</summary>
public sealed class CounterJournal : ICounterJournal
{
    private const int PayloadLength = 24;

    private readonly DualSlotRecord _record;
    private readonly RecordWriter _writer = new RecordWriter(new byte[PayloadLength]);

    public CounterJournal(ISettingsStorage storage)
    {
        _record = new DualSlotRecord(storage, "pole.counters");
    }

    public int Saves => _record.Writes;

    /// <summary>Copies found torn or corrupt at the last load.</summary>
    public int CorruptCopies => _record.CorruptCopies;

    public bool TryLoad(EnergyCounters into)
    {
        var payload = _record.Read();
        if (payload == null || payload.Length != PayloadLength)
        {
            return false;
        }

        var reader = new RecordReader(payload);
        into.EnergyMilliwattHours = reader.ReadInt64();
        into.BurningMilliseconds = reader.ReadInt64();
        into.SavedAtUtcTicks = reader.ReadInt64();
        return true;
    }

    public void Save(EnergyCounters counters)
    {
        _writer.Reset();
        _writer.WriteInt64(counters.EnergyMilliwattHours);
        _writer.WriteInt64(counters.BurningMilliseconds);
        _writer.WriteInt64(counters.SavedAtUtcTicks);
        _record.Write(_writer.Buffer, _writer.Length);
    }
}
