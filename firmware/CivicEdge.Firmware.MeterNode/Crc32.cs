namespace CivicEdge.Firmware.MeterNode;

/// <summary>
/// CRC-32 as in IEEE 802.3 (reflected polynomial 0xEDB88320, initial value and final XOR 0xFFFFFFFF; check value
/// 0xCBF43926 for "123456789"). Bitwise rather than by table: the journal checks 60 bytes a few times a day, and 1 KB of
/// table would be a noticeable share of the heap.
/// </summary>
public static class Crc32
{
    public static uint Compute(byte[] data, int offset, int count)
    {
        uint crc = 0xFFFFFFFF;
        for (int i = offset; i < offset + count; i++)
        {
            crc ^= data[i];
            for (int bit = 0; bit < 8; bit++)
            {
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320 : crc >> 1;
            }
        }

        return ~crc;
    }
}
