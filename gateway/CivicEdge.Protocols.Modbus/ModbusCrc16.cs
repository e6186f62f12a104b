using System.Buffers.Binary;

namespace CivicEdge.Protocols.Modbus;

/// <summary>
/// CRC-16/MODBUS, the check of every RTU frame (MODBUS over Serial Line Specification V1.02 §2.5.1.2 and §6.2.2):
/// reflected polynomial 0xA001, initial value 0xFFFF, no final XOR, sent low byte first.
/// </summary>
public static class ModbusCrc16
{
    /// <summary>Bytes of the CRC at the end of a frame.</summary>
    public const int Size = 2;

    // One entry per byte value, so that each byte costs one lookup instead of eight shift-and-xor steps
    // (the table-driven method of §6.2.2).
    private static readonly ushort[] Table = BuildTable();

    /// <summary>Computes the CRC of <paramref name="data"/>.</summary>
    public static ushort Compute(ReadOnlySpan<byte> data)
    {
        ushort crc = 0xFFFF;
        foreach (var b in data)
            crc = (ushort)((crc >> 8) ^ Table[(byte)(crc ^ b)]);
        return crc;
    }

    /// <summary>Writes <paramref name="crc"/> as it goes on the wire: low byte first, then high byte.</summary>
    public static void Write(Span<byte> destination, ushort crc) =>
        BinaryPrimitives.WriteUInt16LittleEndian(destination, crc);

    /// <summary>Whether the last two bytes of <paramref name="frame"/> are the CRC of the bytes before them.</summary>
    public static bool Matches(ReadOnlySpan<byte> frame) =>
        frame.Length >= Size
        && BinaryPrimitives.ReadUInt16LittleEndian(frame[^Size..]) == Compute(frame[..^Size]);

    private static ushort[] BuildTable()
    {
        var table = new ushort[256];
        for (int value = 0; value < table.Length; value++)
        {
            var crc = (ushort)value;
            for (int bit = 0; bit < 8; bit++)
                crc = (crc & 1) != 0 ? (ushort)((crc >> 1) ^ 0xA001) : (ushort)(crc >> 1);
            table[value] = crc;
        }

        return table;
    }
}
