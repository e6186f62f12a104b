namespace CivicEdge.Protocols.Meters;

/// <summary>
/// Packed BCD as both Chinese meter standards send it: two digits a byte, the least significant byte first
/// (DL/T 645-2007 §4.2, CJ/T 188-2004 §5.2).
/// </summary>
public static class PackedBcd
{
    /// <summary>The largest value <paramref name="byteCount"/> bytes of BCD hold: 10^(2n) - 1.</summary>
    public static ulong MaxValue(int byteCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(byteCount);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(byteCount, 9);
        ulong max = 1;
        for (int i = 0; i < byteCount; i++)
            max *= 100;
        return max - 1;
    }

    /// <summary>Reads the digits; false with the offset of the first byte holding a nibble above 9.</summary>
    public static bool TryDecode(ReadOnlySpan<byte> littleEndian, out ulong value, out int invalidOffset)
    {
        value = 0;
        for (int i = littleEndian.Length - 1; i >= 0; i--)
        {
            var b = littleEndian[i];
            if ((b >> 4) > 9 || (b & 0x0F) > 9)
            {
                invalidOffset = i;
                value = 0;
                return false;
            }

            value = value * 100 + (ulong)((b >> 4) * 10 + (b & 0x0F));
        }

        invalidOffset = -1;
        return true;
    }

    /// <summary>Writes <paramref name="value"/> into all of <paramref name="littleEndian"/>, zero-padded.</summary>
    public static void Encode(ulong value, Span<byte> littleEndian)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(value, MaxValue(littleEndian.Length), nameof(value));
        for (int i = 0; i < littleEndian.Length; i++)
        {
            var pair = (int)(value % 100);
            littleEndian[i] = (byte)(((pair / 10) << 4) | (pair % 10));
            value /= 100;
        }
    }

    /// <summary>One byte of two digits, 0..99.</summary>
    public static byte ToByte(int value)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(value);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(value, 99);
        return (byte)(((value / 10) << 4) | (value % 10));
    }
}
