using System;
using CivicEdge.Firmware.Core.Hal;

namespace CivicEdge.Firmware.Core.Settings;

/// <summary>
/// Counters that must survive a power loss and change often (energy in Wh, pulse totals, operating hours), kept as a
/// ring of small records in <c>name.0</c> … <c>name.N-1</c>. Each commit writes one whole record, with a sequence
/// number and a CRC-32, into the next slot of the ring, so the writes spread over N slots (N times the flash life of
/// one slot) and a power loss during a commit damages only the oldest record: the next boot takes the newest valid
/// one. A commit writes nothing unless a counter changed, and allocates nothing.
/// </summary>
/// <remarks>
/// Record, little-endian: magic "CEJ1" (4), sequence (4), counter count (1), the counters as Int64 (8 each), CRC-32 of
/// everything before it (4).
/// </remarks>
public sealed class CounterJournal
{
    /// <summary>Most counters one journal holds.</summary>
    public const int MaxCounters = 32;

    private const int HeaderLength = 9;
    private const int CrcLength = 4;

    private readonly ISettingsStorage _storage;
    private readonly string[] _slots;
    private readonly long[] _values;
    private readonly byte[] _record;
    private uint _sequence;
    private bool _dirty;

    /// <param name="storage">Where the ring's slots live.</param>
    /// <param name="name">The prefix of the slots, e.g. <c>energy</c>.</param>
    /// <param name="counters">How many counters the journal holds, 1..32.</param>
    /// <param name="slots">How many records the ring keeps, at least 2.</param>
    public CounterJournal(ISettingsStorage storage, string name, int counters, int slots)
    {
        if (storage == null)
        {
            throw new ArgumentNullException(nameof(storage));
        }

        if (name == null || name.Length == 0)
        {
            throw new ArgumentException("A counter journal needs a name for its storage slots.");
        }

        if (counters < 1 || counters > MaxCounters)
        {
            throw new ArgumentOutOfRangeException(nameof(counters), "Journal '" + name + "': expected 1.." + MaxCounters + " counters, found " + counters + ".");
        }

        if (slots < 2)
        {
            throw new ArgumentOutOfRangeException(nameof(slots), "Journal '" + name + "': expected at least 2 slots, so that a torn write leaves the previous record; found " + slots + ".");
        }

        _storage = storage;
        _slots = new string[slots];
        for (int i = 0; i < slots; i++)
        {
            _slots[i] = name + "." + i;
        }

        _values = new long[counters];
        _record = new byte[HeaderLength + (8 * counters) + CrcLength];
    }

    /// <summary>How many counters the journal holds.</summary>
    public int Counters => _values.Length;

    /// <summary>The sequence number of the newest record: 0 before the first commit.</summary>
    public uint Sequence => _sequence;

    /// <summary>How many slots held a valid record at <see cref="Load"/>.</summary>
    public int ValidRecords { get; private set; }

    /// <summary>How many slots held a record that was set aside at <see cref="Load"/> (torn or corrupted).</summary>
    public int DamagedRecords { get; private set; }

    /// <summary>How many commits reached storage since this instance was made.</summary>
    public long Commits { get; private set; }

    /// <summary>Whether a counter changed since the last load or commit.</summary>
    public bool IsDirty => _dirty;

    /// <summary>
    /// Reads every slot and takes the counters from the newest valid record; returns false when there is none (a new
    /// device), leaving every counter at 0. A record with fewer counters (written by older firmware) fills the first ones.
    /// </summary>
    public bool Load()
    {
        ValidRecords = 0;
        DamagedRecords = 0;
        _sequence = 0;
        _dirty = false;
        for (int i = 0; i < _values.Length; i++)
        {
            _values[i] = 0;
        }

        byte[] newest = null;
        for (int slot = 0; slot < _slots.Length; slot++)
        {
            byte[] record = _storage.Read(_slots[slot]);
            if (record == null)
            {
                continue;
            }

            if (!IsValid(record))
            {
                DamagedRecords++;
                continue;
            }

            ValidRecords++;
            uint sequence = LittleEndian.ReadUInt32(record, 4);
            if (newest == null || LittleEndian.IsLater(sequence, _sequence))
            {
                newest = record;
                _sequence = sequence;
            }
        }

        if (newest == null)
        {
            return false;
        }

        int stored = newest[8];
        int count = stored < _values.Length ? stored : _values.Length;
        for (int i = 0; i < count; i++)
        {
            _values[i] = LittleEndian.ReadInt64(newest, HeaderLength + (8 * i));
        }

        return true;
    }

    /// <summary>The counter at <paramref name="index"/>.</summary>
    public long Get(int index) => _values[CheckIndex(index)];

    /// <summary>Sets the counter at <paramref name="index"/>; it reaches storage at the next <see cref="Commit"/>.</summary>
    public void Set(int index, long value)
    {
        if (_values[CheckIndex(index)] != value)
        {
            _values[index] = value;
            _dirty = true;
        }
    }

    /// <summary>Adds <paramref name="delta"/> to the counter at <paramref name="index"/>.</summary>
    public void Add(int index, long delta) => Set(index, _values[CheckIndex(index)] + delta);

    /// <summary>Writes a new record into the next slot if a counter changed; returns whether it wrote.</summary>
    public bool Commit()
    {
        if (!_dirty)
        {
            return false;
        }

        uint sequence = _sequence + 1;
        _record[0] = (byte)'C';
        _record[1] = (byte)'E';
        _record[2] = (byte)'J';
        _record[3] = (byte)'1';
        LittleEndian.WriteUInt32(_record, 4, sequence);
        _record[8] = (byte)_values.Length;
        for (int i = 0; i < _values.Length; i++)
        {
            LittleEndian.WriteInt64(_record, HeaderLength + (8 * i), _values[i]);
        }

        int crcAt = _record.Length - CrcLength;
        LittleEndian.WriteUInt32(_record, crcAt, Crc32.Compute(_record, 0, crcAt));
        _storage.Write(_slots[sequence % (uint)_slots.Length], _record);
        _sequence = sequence;
        _dirty = false;
        Commits++;
        return true;
    }

    private static bool IsValid(byte[] record)
    {
        if (record.Length < HeaderLength + 8 + CrcLength || record[0] != 'C' || record[1] != 'E' || record[2] != 'J' || record[3] != '1')
        {
            return false;
        }

        int count = record[8];
        if (count < 1 || record.Length != HeaderLength + (8 * count) + CrcLength)
        {
            return false;
        }

        int crcAt = record.Length - CrcLength;
        return LittleEndian.ReadUInt32(record, crcAt) == Crc32.Compute(record, 0, crcAt);
    }

    private int CheckIndex(int index)
    {
        if (index < 0 || index >= _values.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(index), "Counter " + index + " does not exist: the journal holds " + _values.Length + ".");
        }

        return index;
    }
}
