using CivicEdge.Firmware.Core.Hal;
using CivicEdge.Firmware.Core.Settings;

namespace CivicEdge.Firmware.MeterNode;

/// <summary>
/// The meter's state in flash as a journal of numbered, checksummed records rotating over a few slots. Each record is
/// complete (absolute totals, never increments), so recovery takes the valid record with the highest sequence number
/// and nothing is ever counted twice. A write that power loss cuts short leaves a record whose CRC fails in one slot;
/// the previous record, in another slot, is untouched, so the loss is bounded by what was unsaved before that write.
/// Rotating over the slots spreads the wear: with 8 slots and a write every 10 pulses of 1 L, a household using
/// 150 m³ a year writes each slot under 2,000 times a year, against the ≥10,000 erase cycles of NOR flash.
/// </summary>
/// <remarks>
/// Record layout, little-endian, 68 bytes: 0 magic 0x4D45, 2 layout version (1), 3 flags, 4 sequence,
/// 8 forward mL (u64), 16 reverse mL (u64), 24 forward pulses, 28 reverse pulses, 32 pulse weight mL, 36 contact
/// state, 37 quarter steps (signed), 38 direction run, 39 reserved, 40 magnet events (u16), 42 cable-cut events (u16),
/// 44 last pulse and 48 start of the present flow (seconds since 2000-01-01 UTC), 52 meter number (8 ASCII bytes),
/// 60 last report (seconds since 2000-01-01 UTC), 64 CRC-32 of bytes 0..63.
/// </remarks>
public sealed class TotalsJournal
{
    /// <summary>Size of one record in bytes.</summary>
    public const int RecordLength = 68;

    private const int Magic = 0x4D45;
    private const int LayoutVersion = 1;
    private const int CrcOffset = RecordLength - 4;

    private readonly ISettingsStorage _storage;
    private readonly string[] _slots;
    private readonly byte[] _record = new byte[RecordLength];

    public TotalsJournal(ISettingsStorage storage, int slots)
    {
        _storage = storage;
        _slots = new string[slots < 2 ? 2 : slots];
        for (int i = 0; i < _slots.Length; i++)
        {
            _slots[i] = "meter.journal." + i.ToString();
        }
    }

    /// <summary>Sequence number of the newest record written or recovered; 0 before the first.</summary>
    public uint Sequence { get; private set; }

    /// <summary>Slots found holding a record that failed its checks at the last <see cref="Recover"/> (a torn write, worn flash).</summary>
    public int DamagedRecords { get; private set; }

    /// <summary>
    /// Loads the newest valid record into <paramref name="state"/>; false when there is none (a new node), and then
    /// <paramref name="state"/> is left as it was.
    /// </summary>
    public bool Recover(MeterState state)
    {
        DamagedRecords = 0;
        uint best = 0;
        bool found = false;
        for (int i = 0; i < _slots.Length; i++)
        {
            byte[] data = _storage.Read(_slots[i]);
            if (data == null)
            {
                continue;
            }

            if (!IsValid(data))
            {
                DamagedRecords++;
                continue;
            }

            uint sequence = LittleEndian.ReadUInt32(data, 4);
            // Later across wrap-around (RFC 1982 serial number arithmetic), though 2^32 records outlast any flash.
            if (!found || (int)(sequence - best) > 0)
            {
                best = sequence;
                found = true;
                Decode(data, state);
            }
        }

        Sequence = found ? best : 0;
        return found;
    }

    /// <summary>Writes <paramref name="state"/> as the next record, into the slot after the previous record's.</summary>
    public void Append(MeterState state)
    {
        uint sequence = Sequence + 1;
        Encode(state, sequence, _record);
        _storage.Write(_slots[(int)(sequence % (uint)_slots.Length)], _record);
        Sequence = sequence;
    }

    private static bool IsValid(byte[] data) =>
        data.Length == RecordLength
        && LittleEndian.ReadUInt16(data, 0) == Magic
        && data[2] == LayoutVersion
        && LittleEndian.ReadUInt32(data, CrcOffset) == Crc32.Compute(data, 0, CrcOffset);

    private static void Encode(MeterState state, uint sequence, byte[] record)
    {
        LittleEndian.WriteUInt16(record, 0, Magic);
        record[2] = LayoutVersion;
        record[3] = (byte)state.Flags;
        LittleEndian.WriteUInt32(record, 4, sequence);
        LittleEndian.WriteUInt64(record, 8, state.ForwardMillilitres);
        LittleEndian.WriteUInt64(record, 16, state.ReverseMillilitres);
        LittleEndian.WriteUInt32(record, 24, state.ForwardPulses);
        LittleEndian.WriteUInt32(record, 28, state.ReversePulses);
        LittleEndian.WriteUInt32(record, 32, state.PulseWeightMillilitres);
        record[36] = (byte)state.ContactState;
        record[37] = (byte)(sbyte)state.Quarters;
        record[38] = (byte)(state.DirectionRun > 255 ? 255 : state.DirectionRun);
        record[39] = 0;
        LittleEndian.WriteUInt16(record, 40, state.MagnetEvents);
        LittleEndian.WriteUInt16(record, 42, state.CableCutEvents);
        LittleEndian.WriteUInt32(record, 44, state.LastPulseSeconds);
        LittleEndian.WriteUInt32(record, 48, state.FlowingSinceSeconds);
        for (int i = 0; i < 8; i++)
        {
            record[52 + i] = state.MeterNumber[i];
        }

        LittleEndian.WriteUInt32(record, 60, state.LastReportSeconds);

        LittleEndian.WriteUInt32(record, CrcOffset, Crc32.Compute(record, 0, CrcOffset));
    }

    private static void Decode(byte[] record, MeterState state)
    {
        state.Flags = record[3];
        state.ForwardMillilitres = LittleEndian.ReadUInt64(record, 8);
        state.ReverseMillilitres = LittleEndian.ReadUInt64(record, 16);
        state.ForwardPulses = LittleEndian.ReadUInt32(record, 24);
        state.ReversePulses = LittleEndian.ReadUInt32(record, 28);
        state.PulseWeightMillilitres = LittleEndian.ReadUInt32(record, 32);
        state.ContactState = record[36] & 3;
        state.Quarters = (sbyte)record[37];
        state.DirectionRun = record[38];
        state.MagnetEvents = LittleEndian.ReadUInt16(record, 40);
        state.CableCutEvents = LittleEndian.ReadUInt16(record, 42);
        state.LastPulseSeconds = LittleEndian.ReadUInt32(record, 44);
        state.FlowingSinceSeconds = LittleEndian.ReadUInt32(record, 48);
        for (int i = 0; i < 8; i++)
        {
            state.MeterNumber[i] = record[52 + i];
        }

        state.LastReportSeconds = LittleEndian.ReadUInt32(record, 60);
    }
}
