namespace CivicEdge.Firmware.Core.Modbus;

/// <summary>
/// The CRC of a Modbus RTU frame (MODBUS over Serial Line V1.02, §2.5.1.2 and §6.2.2: polynomial 0xA001 reflected,
/// initial value 0xFFFF), sent low byte first.
/// </summary>
public static class ModbusCrc16
{
    private static readonly ushort[] Table = BuildTable();

    /// <summary>The CRC of <paramref name="count"/> bytes of <paramref name="frame"/> from <paramref name="offset"/>.</summary>
    public static ushort Compute(byte[] frame, int offset, int count)
    {
        int crc = 0xFFFF;
        int end = offset + count;
        for (int i = offset; i < end; i++)
        {
            crc = (crc >> 8) ^ Table[(crc ^ frame[i]) & 0xFF];
        }

        return (ushort)crc;
    }

    /// <summary>Appends the CRC of the first <paramref name="length"/> bytes after them; returns the frame's new length.</summary>
    public static int Append(byte[] frame, int length)
    {
        ushort crc = Compute(frame, 0, length);
        frame[length] = (byte)crc;
        frame[length + 1] = (byte)(crc >> 8);
        return length + 2;
    }

    /// <summary>Whether the last two bytes of the <paramref name="length"/>-byte frame are the CRC of the bytes before them.</summary>
    public static bool IsValid(byte[] frame, int length)
    {
        if (length < 3)
        {
            return false;
        }

        ushort crc = Compute(frame, 0, length - 2);
        return frame[length - 2] == (byte)crc && frame[length - 1] == (byte)(crc >> 8);
    }

    private static ushort[] BuildTable()
    {
        ushort[] table = new ushort[256];
        for (int n = 0; n < 256; n++)
        {
            int c = n;
            for (int k = 0; k < 8; k++)
            {
                c = (c & 1) != 0 ? (c >> 1) ^ 0xA001 : c >> 1;
            }

            table[n] = (ushort)c;
        }

        return table;
    }
}
