using CivicEdge.Firmware.Core.Hal;

namespace CivicEdge.Firmware.Pole.Settings;

/// <summary>
/// One record kept in two storage slots that are written in turn, each framed with a sequence number and a CRC-16: a
/// power loss that tears a write leaves the other copy whole, and reading takes the newest copy whose CRC holds.
/// Frame: 'C' 'E', sequence (uint32 LE), payload length (uint16 LE), payload, CRC-16/MODBUS (LE) of everything before.
/// </summary>
public sealed class DualSlotRecord
{
    private const int HeaderLength = 8;
    private const int CrcLength = 2;

    private readonly ISettingsStorage _storage;
    private readonly string _slotA;
    private readonly string _slotB;
    private uint _sequence;
    private bool _lastWasA;
    private byte[] _frame;

    public DualSlotRecord(ISettingsStorage storage, string name)
    {
        _storage = storage;
        _slotA = name + ".a";
        _slotB = name + ".b";
    }

    /// <summary>How many copies were found torn or corrupt when the record was last read (reported, never silently skipped).</summary>
    public int CorruptCopies { get; private set; }

    /// <summary>How many writes this record made to storage since boot.</summary>
    public int Writes { get; private set; }

    /// <summary>The payload of the newest intact copy, or null when neither copy is intact.</summary>
    public byte[] Read()
    {
        CorruptCopies = 0;
        uint sequenceA;
        uint sequenceB;
        var a = Unframe(_storage.Read(_slotA), out sequenceA);
        var b = Unframe(_storage.Read(_slotB), out sequenceB);
        if (a == null && b == null)
        {
            return null;
        }

        // Sequence numbers compare by their difference, so the record keeps working after 2^32 writes.
        var aIsNewer = a != null && (b == null || (int)(sequenceA - sequenceB) > 0);
        _lastWasA = aIsNewer;
        _sequence = aIsNewer ? sequenceA : sequenceB;
        return aIsNewer ? a : b;
    }

    /// <summary>Writes <paramref name="payload"/>[0..length) over the older copy.</summary>
    public void Write(byte[] payload, int length)
    {
        var frameLength = HeaderLength + length + CrcLength;
        if (_frame == null || _frame.Length != frameLength)
        {
            _frame = new byte[frameLength];
        }

        _sequence++;
        _frame[0] = (byte)'C';
        _frame[1] = (byte)'E';
        _frame[2] = (byte)_sequence;
        _frame[3] = (byte)(_sequence >> 8);
        _frame[4] = (byte)(_sequence >> 16);
        _frame[5] = (byte)(_sequence >> 24);
        _frame[6] = (byte)length;
        _frame[7] = (byte)(length >> 8);
        for (var i = 0; i < length; i++)
        {
            _frame[HeaderLength + i] = payload[i];
        }

        var crc = Crc16(_frame, HeaderLength + length);
        _frame[HeaderLength + length] = (byte)crc;
        _frame[HeaderLength + length + 1] = (byte)(crc >> 8);
        _lastWasA = !_lastWasA;
        Writes++;
        _storage.Write(_lastWasA ? _slotA : _slotB, _frame);
    }

    private byte[] Unframe(byte[] frame, out uint sequence)
    {
        sequence = 0;
        if (frame == null)
        {
            return null;
        }

        if (frame.Length < HeaderLength + CrcLength || frame[0] != (byte)'C' || frame[1] != (byte)'E')
        {
            CorruptCopies++;
            return null;
        }

        var length = frame[6] | (frame[7] << 8);
        if (frame.Length != HeaderLength + length + CrcLength)
        {
            CorruptCopies++;
            return null;
        }

        var crc = frame[HeaderLength + length] | (frame[HeaderLength + length + 1] << 8);
        if (crc != Crc16(frame, HeaderLength + length))
        {
            CorruptCopies++;
            return null;
        }

        sequence = (uint)(frame[2] | (frame[3] << 8) | (frame[4] << 16) | (frame[5] << 24));
        var payload = new byte[length];
        for (var i = 0; i < length; i++)
        {
            payload[i] = frame[HeaderLength + i];
        }

        return payload;
    }

    /// <summary>CRC-16/MODBUS (polynomial 0xA001 reflected, initial 0xFFFF), as the field bus uses.</summary>
    private static int Crc16(byte[] data, int length)
    {
        var crc = 0xFFFF;
        for (var i = 0; i < length; i++)
        {
            crc ^= data[i];
            for (var bit = 0; bit < 8; bit++)
            {
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xA001 : crc >> 1;
            }
        }

        return crc;
    }
}
