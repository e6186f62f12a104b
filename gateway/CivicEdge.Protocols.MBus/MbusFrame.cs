namespace CivicEdge.Protocols.MBus;

/// <summary>
/// One link-layer frame found in a byte buffer, or why none was. Offsets refer to the buffer given to
/// <see cref="MbusFramer.Decode"/>; <see cref="Length"/> is the number of bytes the frame took.
/// </summary>
public readonly record struct MbusFrame(
    MbusDecodeStatus Status,
    MbusFrameType Type,
    int Length,
    byte Control,
    byte Address,
    byte ControlInformation,
    int UserDataOffset,
    int UserDataLength,
    string? Error)
{
    /// <summary>The bytes after the CI field (EN 13757-3 application data) of a long frame.</summary>
    public ReadOnlySpan<byte> UserData(ReadOnlySpan<byte> buffer) => buffer.Slice(UserDataOffset, UserDataLength);

    /// <summary>The CI field and the bytes after it, as <see cref="MbusApplicationDecoder.Decode"/> takes them.</summary>
    public ReadOnlySpan<byte> ApplicationData(ReadOnlySpan<byte> buffer) => buffer.Slice(UserDataOffset - 1, UserDataLength + 1);

    internal static MbusFrame NeedMore => new(MbusDecodeStatus.NeedMoreData, default, 0, 0, 0, 0, 0, 0, null);

    internal static MbusFrame Malformed(string error) => new(MbusDecodeStatus.Malformed, default, 0, 0, 0, 0, 0, 0, error);
}
