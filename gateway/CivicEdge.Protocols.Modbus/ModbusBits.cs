namespace CivicEdge.Protocols.Modbus;

/// <summary>
/// Coils and discrete inputs travel packed eight to a byte, the first bit in the least significant bit of the first
/// byte, unused high bits of the last byte zero (Modbus Application Protocol V1.1b3 §6.1, §6.2, §6.11).
/// </summary>
public static class ModbusBits
{
    /// <summary>Bytes that carry <paramref name="bitCount"/> bits.</summary>
    public static int ByteCount(int bitCount) => (bitCount + 7) / 8;

    /// <summary>Packs <paramref name="bits"/> into <paramref name="destination"/>, zeroing the padding bits.</summary>
    /// <returns>The number of bytes written.</returns>
    public static int Pack(ReadOnlySpan<bool> bits, Span<byte> destination)
    {
        int byteCount = ByteCount(bits.Length);
        if (destination.Length < byteCount)
            throw new ArgumentException($"{bits.Length} bits need {byteCount} bytes; the buffer has {destination.Length}.", nameof(destination));

        destination[..byteCount].Clear();
        for (int i = 0; i < bits.Length; i++)
        {
            if (bits[i])
                destination[i >> 3] |= (byte)(1 << (i & 7));
        }

        return byteCount;
    }

    /// <summary>Unpacks the first <c>destination.Length</c> bits of <paramref name="packed"/>.</summary>
    public static void Unpack(ReadOnlySpan<byte> packed, Span<bool> destination)
    {
        if (packed.Length < ByteCount(destination.Length))
            throw new ArgumentException($"{destination.Length} bits need {ByteCount(destination.Length)} bytes; {packed.Length} were given.", nameof(packed));
        for (int i = 0; i < destination.Length; i++)
            destination[i] = (packed[i >> 3] & (1 << (i & 7))) != 0;
    }
}
