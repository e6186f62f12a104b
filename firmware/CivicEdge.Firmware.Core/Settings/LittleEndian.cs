namespace CivicEdge.Firmware.Core.Settings;

/// <summary>Integers in stored images, least significant byte first, independent of the processor's byte order.</summary>
internal static class LittleEndian
{
    public static void WriteUInt16(byte[] buffer, int offset, int value)
    {
        buffer[offset] = (byte)value;
        buffer[offset + 1] = (byte)(value >> 8);
    }

    public static void WriteUInt32(byte[] buffer, int offset, uint value)
    {
        buffer[offset] = (byte)value;
        buffer[offset + 1] = (byte)(value >> 8);
        buffer[offset + 2] = (byte)(value >> 16);
        buffer[offset + 3] = (byte)(value >> 24);
    }

    public static void WriteInt64(byte[] buffer, int offset, long value)
    {
        WriteUInt32(buffer, offset, (uint)value);
        WriteUInt32(buffer, offset + 4, (uint)(value >> 32));
    }

    public static int ReadUInt16(byte[] buffer, int offset) => buffer[offset] | (buffer[offset + 1] << 8);

    public static uint ReadUInt32(byte[] buffer, int offset) =>
        (uint)(buffer[offset] | (buffer[offset + 1] << 8) | (buffer[offset + 2] << 16) | (buffer[offset + 3] << 24));

    public static long ReadInt64(byte[] buffer, int offset) =>
        (long)ReadUInt32(buffer, offset) | ((long)ReadUInt32(buffer, offset + 4) << 32);

    /// <summary>Whether sequence number <paramref name="a"/> is later than <paramref name="b"/>, across wrap-around (RFC 1982).</summary>
    public static bool IsLater(uint a, uint b) => (int)(a - b) > 0;
}
