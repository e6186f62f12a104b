using System;
using CivicEdge.Firmware.Core.Hal;
using CivicEdge.Firmware.Core.Json;
using CivicEdge.Firmware.Core.Settings;

namespace CivicEdge.Firmware.Core.Uplink;

/// <summary>
/// One stream of the device's outbox (telemetry, billing or events): records numbered in order, kept encoded in a ring
/// of bytes allocated once, and deleted only when the fleet acknowledges that it persisted them. When the ring is full
/// the oldest records give way, counted in <see cref="Dropped"/>. <see cref="Checkpoint"/> copies what waits into
/// settings storage (two slots written in turn, each with a CRC-32 (<see cref="Crc32"/>), so a write torn by a power loss leaves the other),
/// and a new instance over the same storage takes it back after a reboot.
/// </summary>
/// <remarks>
/// Sequence numbers are reserved in blocks and the reservation is checkpointed before a number of a new block is given
/// out: records made after the last checkpoint are lost with the power, but their numbers are never given out twice,
/// because the fleet would take a reused number for a duplicate and drop the new record.
/// </remarks>
public sealed class OutboxStream
{
    private const int Magic = 0x43454F31; // "CEO1"
    private const int HeaderBytes = 4 + 4 + 8 + 8 + 2;
    private const int RecordHeaderBytes = 8 + 2;
    private const int SeqBlock = 1000;

    private readonly ISettingsStorage _storage;
    private readonly string _slotA;
    private readonly string _slotB;
    private readonly byte[] _arena;
    private readonly long[] _seqs;
    private readonly int[] _starts;
    private readonly int[] _lengths;
    private readonly long[] _takenAt;
    private int _head;
    private int _count;
    private int _writePosition;
    private int _usedBytes;
    private long _lastSeq;
    private long _reservedThrough;
    private int _generation;
    private bool _dirty;

    /// <param name="name">The stream's name on the wire, e.g. <c>telemetry</c>.</param>
    /// <param name="capacityBytes">Room for encoded records.</param>
    /// <param name="maxRecords">Most records kept.</param>
    /// <param name="storage">Where checkpoints go.</param>
    /// <param name="slot">The settings slot name; the checkpoints use <c>{slot}.a</c> and <c>{slot}.b</c>.</param>
    /// <param name="uptimeMilliseconds">Now, to age records restored from a checkpoint.</param>
    public OutboxStream(string name, int capacityBytes, int maxRecords, ISettingsStorage storage, string slot, long uptimeMilliseconds)
    {
        if (capacityBytes < 64 || capacityBytes > 65535)
        {
            throw new ArgumentOutOfRangeException("capacityBytes", "An outbox stream holds 64 to 65535 bytes of records; found " + capacityBytes.ToString() + ".");
        }

        if (maxRecords < 1)
        {
            throw new ArgumentOutOfRangeException("maxRecords", "An outbox stream holds at least one record; found " + maxRecords.ToString() + ".");
        }

        Name = name;
        _storage = storage;
        _slotA = slot + ".a";
        _slotB = slot + ".b";
        _arena = new byte[capacityBytes];
        _seqs = new long[maxRecords];
        _starts = new int[maxRecords];
        _lengths = new int[maxRecords];
        _takenAt = new long[maxRecords];
        Restore(uptimeMilliseconds);
    }

    public string Name { get; }

    /// <summary>Records waiting for the fleet's acknowledgement.</summary>
    public int Count
    {
        get { return _count; }
    }

    /// <summary>The last sequence number given out; 0 before the first.</summary>
    public long LastSeq
    {
        get { return _lastSeq; }
    }

    /// <summary>Records the fleet persisted since boot.</summary>
    public long Delivered { get; private set; }

    /// <summary>Records the fleet refused as malformed since boot; a device has no room to keep them aside.</summary>
    public long Quarantined { get; private set; }

    /// <summary>Records dropped since boot to make room while the ring was full.</summary>
    public long Dropped { get; private set; }

    /// <summary>Records taken back from a checkpoint at boot.</summary>
    public int Restored { get; private set; }

    /// <summary>Records changed since the last checkpoint.</summary>
    public bool IsDirty
    {
        get { return _dirty; }
    }

    /// <summary>
    /// True below nine tenths of both limits (records and bytes): where an overflow episode counts as over, so that a
    /// stream hovering at its limit reports one episode rather than one per record.
    /// </summary>
    public bool IsBelowLowWater
    {
        get { return _count * 10 < _seqs.Length * 9 && _usedBytes * 10 < _arena.Length * 9; }
    }

    /// <summary>True when the next number given out needs a new block reserved, i.e. a checkpoint first.</summary>
    public bool NeedsReservation
    {
        get { return _lastSeq + 1 > _reservedThrough; }
    }

    /// <summary>The largest record that can ever fit.</summary>
    public int CapacityBytes
    {
        get { return _arena.Length; }
    }

    /// <summary>The sequence number the next record gets.</summary>
    public long NextSeq
    {
        get { return _lastSeq + 1; }
    }

    /// <summary>The sequence number of the record at <paramref name="index"/> (0 is the oldest).</summary>
    public long SeqAt(int index)
    {
        return _seqs[(_head + index) % _seqs.Length];
    }

    /// <summary>When (device uptime, ms) the record at <paramref name="index"/> was taken.</summary>
    public long TakenAt(int index)
    {
        return _takenAt[(_head + index) % _seqs.Length];
    }

    /// <summary>Writes the record at <paramref name="index"/> as the next value of <paramref name="writer"/>.</summary>
    public void WriteRecord(int index, JsonWriter writer)
    {
        int slot = (_head + index) % _seqs.Length;
        writer.RawValue(_arena, _starts[slot], _lengths[slot]);
    }

    /// <summary>
    /// Keeps the encoded record numbered <see cref="NextSeq"/>, dropping the oldest records while there is no room;
    /// a record reserving a new block of numbers must be checkpointed first (<see cref="NeedsReservation"/>).
    /// </summary>
    public void Append(byte[] record, int offset, int length, long uptimeMilliseconds)
    {
        if (length <= 0 || length > _arena.Length)
        {
            throw new ArgumentOutOfRangeException("length", "A record of " + Name + " holds 1 to " + _arena.Length.ToString() + " bytes; found " + length.ToString() + ".");
        }

        if (NeedsReservation)
        {
            _reservedThrough = _lastSeq + SeqBlock;
        }

        int start = PlaceFor(length);
        Array.Copy(record, offset, _arena, start, length);
        int slot = (_head + _count) % _seqs.Length;
        _lastSeq++;
        _seqs[slot] = _lastSeq;
        _starts[slot] = start;
        _lengths[slot] = length;
        _takenAt[slot] = uptimeMilliseconds;
        _count++;
        _usedBytes += length;
        _writePosition = start + length;
        _dirty = true;
    }

    /// <summary>
    /// Deletes the oldest records numbered from <paramref name="firstSeq"/> to <paramref name="lastSeq"/>, which the
    /// fleet acknowledged; a record older than <paramref name="firstSeq"/> still waiting keeps the rest in place (they are
    /// sent again, and the fleet skips them as duplicates). Returns how many were deleted.
    /// </summary>
    public int Acknowledge(long firstSeq, long lastSeq, bool persisted)
    {
        int removed = 0;
        while (_count > 0 && _seqs[_head] >= firstSeq && _seqs[_head] <= lastSeq)
        {
            RemoveOldest();
            removed++;
        }

        if (persisted)
        {
            Delivered += removed;
        }
        else
        {
            Quarantined += removed;
        }

        return removed;
    }

    /// <summary>
    /// Writes what waits, and the reservation of sequence numbers, to settings storage in the slot not written last.
    /// </summary>
    public void Checkpoint()
    {
        // Allocated per checkpoint (a few a minute at most) rather than held: a buffer the size of the ring kept for
        // each stream would double the outbox's RAM on an 80 KB heap.
        int size = HeaderBytes + (_count * RecordHeaderBytes) + _usedBytes + 4;
        byte[] checkpoint = new byte[size];
        _generation++;
        int p = 0;
        p = PutInt(checkpoint, Magic, p);
        p = PutInt(checkpoint, _generation, p);
        p = PutLong(checkpoint, _reservedThrough, p);
        p = PutLong(checkpoint, _lastSeq, p);
        checkpoint[p++] = (byte)(_count >> 8);
        checkpoint[p++] = (byte)_count;
        for (int i = 0; i < _count; i++)
        {
            int slot = (_head + i) % _seqs.Length;
            p = PutLong(checkpoint, _seqs[slot], p);
            checkpoint[p++] = (byte)(_lengths[slot] >> 8);
            checkpoint[p++] = (byte)_lengths[slot];
            Array.Copy(_arena, _starts[slot], checkpoint, p, _lengths[slot]);
            p += _lengths[slot];
        }

        PutInt(checkpoint, (int)Crc32.Compute(checkpoint, 0, p), p);

        // A power loss during the write tears this slot only: the other one holds the previous checkpoint.
        _storage.Write((_generation & 1) == 1 ? _slotA : _slotB, checkpoint);
        _dirty = false;
    }

    private int PlaceFor(int length)
    {
        while (true)
        {
            if (_count == 0)
            {
                return 0;
            }

            if (_count < _seqs.Length)
            {
                int oldestStart = _starts[_head];
                if (_writePosition > oldestStart)
                {
                    // Used: [oldest, write); free: [write, end) and [0, oldest).
                    if (_arena.Length - _writePosition >= length)
                    {
                        return _writePosition;
                    }

                    if (oldestStart >= length)
                    {
                        return 0;
                    }
                }
                else if (oldestStart - _writePosition >= length)
                {
                    // Wrapped: used [oldest, end) and [0, write); free: [write, oldest).
                    return _writePosition;
                }
            }

            RemoveOldest();
            Dropped++;
        }
    }

    private void RemoveOldest()
    {
        _usedBytes -= _lengths[_head];
        _head = (_head + 1) % _seqs.Length;
        _count--;
        if (_count == 0)
        {
            _head = 0;
            _writePosition = 0;
        }

        _dirty = true;
    }

    private void Restore(long uptimeMilliseconds)
    {
        byte[] a = _storage.Read(_slotA);
        byte[] b = _storage.Read(_slotB);
        int generationA = Validate(a);
        int generationB = Validate(b);
        byte[] best = generationA >= generationB ? (generationA > 0 ? a : null) : b;
        if (best == null)
        {
            return;
        }

        int p = 4;
        _generation = GetInt(best, p);
        p += 4;
        _reservedThrough = GetLong(best, p);
        p += 8;
        _lastSeq = _reservedThrough;
        p += 8;
        int count = (best[p] << 8) | best[p + 1];
        p += 2;
        for (int i = 0; i < count && i < _seqs.Length; i++)
        {
            long seq = GetLong(best, p);
            p += 8;
            int length = (best[p] << 8) | best[p + 1];
            p += 2;
            int slot = _count;
            Array.Copy(best, p, _arena, _writePosition, length);
            _seqs[slot] = seq;
            _starts[slot] = _writePosition;
            _lengths[slot] = length;
            _takenAt[slot] = uptimeMilliseconds;
            _writePosition += length;
            _usedBytes += length;
            _count++;
            p += length;
        }

        Restored = _count;
    }

    /// <summary>The generation of a checkpoint that is whole and fits this stream; 0 when it is absent, torn or foreign.</summary>
    private int Validate(byte[] data)
    {
        if (data == null || data.Length < HeaderBytes + 4 || GetInt(data, 0) != Magic)
        {
            return 0;
        }

        int p = HeaderBytes;
        int count = (data[HeaderBytes - 2] << 8) | data[HeaderBytes - 1];
        if (count > _seqs.Length)
        {
            return 0;
        }

        int total = 0;
        for (int i = 0; i < count; i++)
        {
            if (p + RecordHeaderBytes > data.Length)
            {
                return 0;
            }

            int length = (data[p + 8] << 8) | data[p + 9];
            total += length;
            p += RecordHeaderBytes + length;
            if (p > data.Length || total > _arena.Length)
            {
                return 0;
            }
        }

        if (p + 4 > data.Length || (uint)GetInt(data, p) != Crc32.Compute(data, 0, p))
        {
            return 0;
        }

        int generation = GetInt(data, 4);
        return generation > 0 ? generation : 0;
    }

    private static int PutInt(byte[] data, int value, int p)
    {
        data[p] = (byte)(value >> 24);
        data[p + 1] = (byte)(value >> 16);
        data[p + 2] = (byte)(value >> 8);
        data[p + 3] = (byte)value;
        return p + 4;
    }

    private static int PutLong(byte[] data, long value, int p)
    {
        PutInt(data, (int)(value >> 32), p);
        return PutInt(data, (int)value, p + 4);
    }

    private static int GetInt(byte[] data, int p)
    {
        return (data[p] << 24) | (data[p + 1] << 16) | (data[p + 2] << 8) | data[p + 3];
    }

    private static long GetLong(byte[] data, int p)
    {
        return ((long)GetInt(data, p) << 32) | (uint)GetInt(data, p + 4);
    }
}
