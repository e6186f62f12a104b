using System.Buffers.Binary;

namespace CivicEdge.Protocols.Meters.CjT188;

/// <summary>
/// Builds and cuts CJ/T 188-2004 frames (§5.3): <c>[FE..] 68 T A0..A6 C L DI SER DATA CS 16</c>. The address is
/// 7 bytes of BCD, least significant first (A5 A6 commonly hold the manufacturer code); L counts DI, SER and the data.
/// Unlike DL/T 645 there is no data offset. Pure and allocation-light.
/// </summary>
public static class CjT188Framer
{
    public const byte StartCharacter = 0x68;
    public const byte EndCharacter = 0x16;
    public const byte Preamble = 0xFE;
    public const int AddressLength = 7;

    /// <summary>68, T, A0..A6, C, L: the bytes before the data field.</summary>
    public const int HeaderLength = 11;

    /// <summary>Bytes a frame adds around its data field: header, CS and 16H.</summary>
    public const int Overhead = HeaderLength + 2;

    /// <summary>
    /// The longest data field accepted. The largest the standard defines is heat meter data (L = 2EH); a larger L is
    /// taken for noise, so that a corrupted length does not leave a reader waiting for bytes that never come.
    /// </summary>
    public const int MaxDataLength = 100;

    public const int DefaultPreambleLength = 4;

    /// <summary>Writes a frame around a data field the caller built (DI, SER, data).</summary>
    /// <returns>The length written, preamble included.</returns>
    public static int Encode(
        Span<byte> destination, CjT188MeterType meterType, MeterAddress address, CjT188Control control, ReadOnlySpan<byte> data,
        int preambleLength = DefaultPreambleLength)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(preambleLength);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(data.Length, MaxDataLength, nameof(data));
        if (address.ByteLength != AddressLength)
            throw new ArgumentException($"A CJ/T 188 address has {AddressLength} bytes; {address} has {address.ByteLength}.", nameof(address));
        int length = preambleLength + Overhead + data.Length;
        if (destination.Length < length)
            throw new ArgumentException($"The frame takes {length} bytes; the buffer has {destination.Length}.", nameof(destination));

        destination[..preambleLength].Fill(Preamble);
        var frame = destination[preambleLength..length];
        frame[0] = StartCharacter;
        frame[1] = (byte)meterType;
        address.WriteTo(frame.Slice(2, AddressLength));
        frame[9] = control.Value;
        frame[10] = (byte)data.Length;
        data.CopyTo(frame[HeaderLength..]);
        int cs = HeaderLength + data.Length;
        frame[cs] = MeterChecksum.Compute(frame[..cs]);
        frame[cs + 1] = EndCharacter;
        return length;
    }

    /// <summary>Writes a frame whose data field is DI, SER and <paramref name="payload"/>, with DI in the meter's order.</summary>
    public static int Encode(
        Span<byte> destination, CjT188MeterType meterType, MeterAddress address, CjT188Control control, ushort identifier, byte serial,
        ReadOnlySpan<byte> payload, CjT188IdentifierOrder order, int preambleLength = DefaultPreambleLength)
    {
        Span<byte> data = stackalloc byte[3 + payload.Length];
        if (order == CjT188IdentifierOrder.HighByteFirst)
            BinaryPrimitives.WriteUInt16BigEndian(data, identifier);
        else
            BinaryPrimitives.WriteUInt16LittleEndian(data, identifier);
        data[2] = serial;
        payload.CopyTo(data[3..]);
        return Encode(destination, meterType, address, control, data, preambleLength);
    }

    /// <summary>
    /// Looks for one frame at the front of <paramref name="received"/>; each field is checked as soon as it has arrived.
    /// </summary>
    public static CjT188Frame Decode(ReadOnlySpan<byte> received)
    {
        int start = 0;
        while (start < received.Length && received[start] == Preamble)
            start++;
        if (start == received.Length)
            return CjT188Frame.NeedMoreData(start + Overhead);

        // [0] 68H
        if (received[start] != StartCharacter)
            return CjT188Frame.Malformed(MeterFrameError.InvalidStart, $"expected the start character 68H (or preamble FEH), found {received[start]:X2}H", start);
        if (received.Length < start + HeaderLength)
            return CjT188Frame.NeedMoreData(start + Overhead);

        // [10] L
        int dataLength = received[start + 10];
        if (dataLength > MaxDataLength)
            return CjT188Frame.Malformed(MeterFrameError.InvalidLength, $"expected a data length L of at most {MaxDataLength}, found {dataLength}", start + 10);
        int end = start + Overhead + dataLength;
        if (received.Length < end)
            return CjT188Frame.NeedMoreData(end);

        int cs = start + HeaderLength + dataLength;
        var expected = MeterChecksum.Compute(received[start..cs]);
        if (received[cs] != expected)
            return CjT188Frame.Malformed(MeterFrameError.ChecksumMismatch, $"expected checksum {expected:X2}H (sum from 68H), found {received[cs]:X2}H", cs);
        if (received[cs + 1] != EndCharacter)
            return CjT188Frame.Malformed(MeterFrameError.InvalidEnd, $"expected the end character 16H, found {received[cs + 1]:X2}H", cs + 1);

        // [2..8] A0..A6
        if (!MeterAddress.TryRead(received.Slice(start + 2, AddressLength), out var address, out var reason))
            return CjT188Frame.Malformed(MeterFrameError.InvalidAddress, reason, start + 2);

        return CjT188Frame.Complete(end, start, (CjT188MeterType)received[start + 1], address, new CjT188Control(received[start + 9]), dataLength);
    }
}
