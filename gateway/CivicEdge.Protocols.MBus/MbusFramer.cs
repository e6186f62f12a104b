namespace CivicEdge.Protocols.MBus;

/// <summary>
/// Frames and unframes M-Bus link-layer telegrams (EN 13757-2 §5; FT1.2 format class of IEC 60870-5-1). The checksum
/// is the arithmetic sum modulo 256 of the bytes from the C field up to the last user data byte.
/// </summary>
public static class MbusFramer
{
    public const byte Acknowledge = 0xE5;
    public const byte ShortStart = 0x10;
    public const byte LongStart = 0x68;
    public const byte Stop = 0x16;

    /// <summary>Longest long frame: L may be at most 255 (C, A, CI and 252 bytes of data), plus 6 bytes of frame.</summary>
    public const int MaxFrameLength = 255 + 6;

    /// <summary>C field of SND_NKE (EN 13757-2 Table 2): reset the slave's link layer.</summary>
    public const byte SendNke = 0x40;

    /// <summary>C field of REQ_UD2 with FCB clear; <see cref="FrameCountBit"/> toggles between successive requests.</summary>
    public const byte RequestUserData2 = 0x5B;

    /// <summary>C field of SND_UD with FCB clear (used for selection by secondary address, and for writes).</summary>
    public const byte SendUserData = 0x53;

    /// <summary>The frame count bit of the C field (EN 13757-2 §5.5): repeats keep it, new requests toggle it.</summary>
    public const byte FrameCountBit = 0x20;

    /// <summary>Finds the frame at the start of <paramref name="buffer"/>.</summary>
    public static MbusFrame Decode(ReadOnlySpan<byte> buffer)
    {
        if (buffer.IsEmpty)
            return MbusFrame.NeedMore;
        return buffer[0] switch
        {
            Acknowledge => new MbusFrame(MbusDecodeStatus.Complete, MbusFrameType.SingleCharacter, 1, 0, 0, 0, 0, 0, null),
            ShortStart => DecodeShort(buffer),
            LongStart => DecodeLong(buffer),
            _ => MbusFrame.Malformed($"offset 0: expected a start character E5, 10 or 68, found {buffer[0]:X2}"),
        };
    }

    /// <summary>Writes a short frame 10 C A CS 16 and returns its length (5).</summary>
    public static int EncodeShort(Span<byte> destination, byte control, byte address)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(destination.Length, 5, nameof(destination));
        destination[0] = ShortStart;
        destination[1] = control;
        destination[2] = address;
        destination[3] = unchecked((byte)(control + address));
        destination[4] = Stop;
        return 5;
    }

    /// <summary>Writes a long (or, with empty data, control) frame and returns its length.</summary>
    public static int EncodeLong(Span<byte> destination, byte control, byte address, byte controlInformation, ReadOnlySpan<byte> data)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(data.Length, 252, nameof(data));
        int length = data.Length + 3;
        ArgumentOutOfRangeException.ThrowIfLessThan(destination.Length, length + 6, nameof(destination));
        destination[0] = LongStart;
        destination[1] = (byte)length;
        destination[2] = (byte)length;
        destination[3] = LongStart;
        destination[4] = control;
        destination[5] = address;
        destination[6] = controlInformation;
        data.CopyTo(destination[7..]);
        destination[length + 4] = Checksum(destination.Slice(4, length));
        destination[length + 5] = Stop;
        return length + 6;
    }

    /// <summary>The arithmetic sum modulo 256 (EN 13757-2 §5.4).</summary>
    public static byte Checksum(ReadOnlySpan<byte> bytes)
    {
        int sum = 0;
        foreach (byte b in bytes)
            sum += b;
        return unchecked((byte)sum);
    }

    private static MbusFrame DecodeShort(ReadOnlySpan<byte> buffer)
    {
        if (buffer.Length < 5)
            return MbusFrame.NeedMore;
        byte expected = Checksum(buffer.Slice(1, 2));
        if (buffer[3] != expected)
            return MbusFrame.Malformed($"offset 3: expected checksum {expected:X2} of a short frame, found {buffer[3]:X2}");
        if (buffer[4] != Stop)
            return MbusFrame.Malformed($"offset 4: expected stop character 16, found {buffer[4]:X2}");
        return new MbusFrame(MbusDecodeStatus.Complete, MbusFrameType.Short, 5, buffer[1], buffer[2], 0, 0, 0, null);
    }

    private static MbusFrame DecodeLong(ReadOnlySpan<byte> buffer)
    {
        if (buffer.Length < 4)
            return MbusFrame.NeedMore;
        byte length = buffer[1];
        if (buffer[2] != length)
            return MbusFrame.Malformed($"offset 2: expected the repeated length field {length:X2}, found {buffer[2]:X2}");
        if (length < 3)
            return MbusFrame.Malformed($"offset 1: expected a length of at least 3 (C, A and CI fields), found {length}");
        if (buffer[3] != LongStart)
            return MbusFrame.Malformed($"offset 3: expected the second start character 68, found {buffer[3]:X2}");
        int total = length + 6;
        if (buffer.Length < total)
            return MbusFrame.NeedMore;
        byte expected = Checksum(buffer.Slice(4, length));
        if (buffer[total - 2] != expected)
            return MbusFrame.Malformed($"offset {total - 2}: expected checksum {expected:X2} over {length} bytes, found {buffer[total - 2]:X2}");
        if (buffer[total - 1] != Stop)
            return MbusFrame.Malformed($"offset {total - 1}: expected stop character 16, found {buffer[total - 1]:X2}");
        var type = length == 3 ? MbusFrameType.Control : MbusFrameType.Long;
        return new MbusFrame(MbusDecodeStatus.Complete, type, total, buffer[4], buffer[5], buffer[6], 7, length - 3, null);
    }
}
