namespace CivicEdge.Firmware.Core.Settings;

/// <summary>
/// CRC-32 as Ethernet, zlib and PNG compute it (IEEE 802.3: polynomial 0x04C11DB7 reflected as 0xEDB88320, initial
/// value and final XOR 0xFFFFFFFF; the check value of "123456789" is 0xCBF43926).
/// </summary>
public static class Crc32
{
    private static readonly uint[] Table = BuildTable();

    /// <summary>The CRC of <paramref name="count"/> bytes of <paramref name="data"/> from <paramref name="offset"/>.</summary>
    public static uint Compute(byte[] data, int offset, int count)
    {
        uint crc = 0xFFFFFFFF;
        int end = offset + count;
        for (int i = offset; i < end; i++)
        {
            crc = Table[(crc ^ data[i]) & 0xFF] ^ (crc >> 8);
        }

        return crc ^ 0xFFFFFFFF;
    }

    private static uint[] BuildTable()
    {
        uint[] table = new uint[256];
        for (uint n = 0; n < 256; n++)
        {
            uint c = n;
            for (int k = 0; k < 8; k++)
            {
                c = (c & 1) != 0 ? 0xEDB88320 ^ (c >> 1) : c >> 1;
            }

            table[n] = c;
        }

        return table;
    }
}
