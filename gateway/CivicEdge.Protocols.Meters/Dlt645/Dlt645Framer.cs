namespace CivicEdge.Protocols.Meters.Dlt645;

/// <summary>
/// Builds and cuts DL/T 645 frames (2007 §4.1; 1997 uses the same layout):
/// <c>[FE..] 68 A0..A5 68 C L DATA CS 16</c>. The address is BCD, least significant byte first; every data byte is
/// sent plus 33H (§4.1.5) so that a frame has few 00H and FFH bytes on the line. Pure and allocation-light.
/// </summary>
public static class Dlt645Framer
{
    public const byte StartCharacter = 0x68;
    public const byte EndCharacter = 0x16;

    /// <summary>The wake-up byte sent before a frame (§4.1.1); a receiver skips any number of them.</summary>
    public const byte Preamble = 0xFE;

    /// <summary>Added to every data byte by the sender and taken off by the receiver (§4.1.5).</summary>
    public const byte DataOffset = 0x33;

    public const int AddressLength = 6;

    /// <summary>68, A0..A5, 68, C, L: the bytes before the data field.</summary>
    public const int HeaderLength = 10;

    /// <summary>Bytes a frame adds around its data field: header, CS and 16H.</summary>
    public const int Overhead = HeaderLength + 2;

    /// <summary>The longest data field: L ≤ 200 (§4.1.4).</summary>
    public const int MaxDataLength = 200;

    /// <summary>The preamble this codec sends by default: four FEH, as most meters expect to wake.</summary>
    public const int DefaultPreambleLength = 4;

    /// <summary>The broadcast address of time synchronisation, 999999999999 (§4.1.2).</summary>
    public static MeterAddress BroadcastAddress { get; } = MeterAddress.Parse("999999999999", AddressLength);

    /// <summary>Writes a frame; <paramref name="data"/> is given without the 33H offset.</summary>
    /// <returns>The length written, preamble included.</returns>
    public static int Encode(
        Span<byte> destination, MeterAddress address, Dlt645Control control, ReadOnlySpan<byte> data, int preambleLength = DefaultPreambleLength)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(preambleLength);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(data.Length, MaxDataLength, nameof(data));
        if (address.ByteLength != AddressLength)
            throw new ArgumentException($"A DL/T 645 address has {AddressLength} bytes; {address} has {address.ByteLength}.", nameof(address));
        int length = preambleLength + Overhead + data.Length;
        if (destination.Length < length)
            throw new ArgumentException($"The frame takes {length} bytes; the buffer has {destination.Length}.", nameof(destination));

        destination[..preambleLength].Fill(Preamble);
        var frame = destination[preambleLength..length];
        frame[0] = StartCharacter;
        address.WriteTo(frame.Slice(1, AddressLength));
        frame[7] = StartCharacter;
        frame[8] = control.Value;
        frame[9] = (byte)data.Length;
        for (int i = 0; i < data.Length; i++)
            frame[HeaderLength + i] = (byte)(data[i] + DataOffset);
        int cs = HeaderLength + data.Length;
        frame[cs] = MeterChecksum.Compute(frame[..cs]);
        frame[cs + 1] = EndCharacter;
        return length;
    }

    /// <summary>
    /// Looks for one frame at the front of <paramref name="received"/>. Each field is checked as soon as it has
    /// arrived, so that garbage is reported without waiting for more bytes; bytes after the frame are left.
    /// </summary>
    public static Dlt645Frame Decode(ReadOnlySpan<byte> received)
    {
        int start = 0;
        while (start < received.Length && received[start] == Preamble)
            start++;
        if (start == received.Length)
            return Dlt645Frame.NeedMoreData(start + Overhead);

        // [0] 68H
        if (received[start] != StartCharacter)
            return Dlt645Frame.Malformed(MeterFrameError.InvalidStart, $"expected the start character 68H (or preamble FEH), found {received[start]:X2}H", start);
        if (received.Length < start + HeaderLength)
            return Dlt645Frame.NeedMoreData(start + Overhead);

        // [7] the second 68H closes the address field
        if (received[start + 7] != StartCharacter)
            return Dlt645Frame.Malformed(MeterFrameError.InvalidStart, $"expected the second start character 68H after the 6-byte address, found {received[start + 7]:X2}H", start + 7);

        // [9] L
        int dataLength = received[start + 9];
        if (dataLength > MaxDataLength)
            return Dlt645Frame.Malformed(MeterFrameError.InvalidLength, $"expected a data length L of at most {MaxDataLength}, found {dataLength}", start + 9);
        int end = start + Overhead + dataLength;
        if (received.Length < end)
            return Dlt645Frame.NeedMoreData(end);

        int cs = start + HeaderLength + dataLength;
        var expected = MeterChecksum.Compute(received[start..cs]);
        if (received[cs] != expected)
            return Dlt645Frame.Malformed(MeterFrameError.ChecksumMismatch, $"expected checksum {expected:X2}H (sum from 68H), found {received[cs]:X2}H", cs);
        if (received[cs + 1] != EndCharacter)
            return Dlt645Frame.Malformed(MeterFrameError.InvalidEnd, $"expected the end character 16H, found {received[cs + 1]:X2}H", cs + 1);

        // [1..6] A0..A5, checked last: a frame with a valid checksum and a non-BCD address is malformed, not noise
        if (!MeterAddress.TryRead(received.Slice(start + 1, AddressLength), out var address, out var reason))
            return Dlt645Frame.Malformed(MeterFrameError.InvalidAddress, reason, start + 1);

        return Dlt645Frame.Complete(end, start, address, new Dlt645Control(received[start + 8]), dataLength);
    }
}
