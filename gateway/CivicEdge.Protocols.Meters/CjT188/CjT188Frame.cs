using System.Buffers.Binary;

namespace CivicEdge.Protocols.Meters.CjT188;

/// <summary>What <see cref="CjT188Framer"/> found at the front of the bytes received so far.</summary>
public readonly struct CjT188Frame
{
    private CjT188Frame(
        MeterDecodeStatus status, int length, int start, CjT188MeterType meterType, MeterAddress address, CjT188Control control,
        int dataLength, MeterFrameError error, string? reason, int offset)
    {
        Status = status;
        Length = length;
        Start = start;
        MeterType = meterType;
        Address = address;
        Control = control;
        DataLength = dataLength;
        Error = error;
        Reason = reason;
        Offset = offset;
    }

    public MeterDecodeStatus Status { get; }

    /// <summary>Complete: the bytes to consume, preamble included. Need-more-data: the bytes needed at least.</summary>
    public int Length { get; }

    /// <summary>The offset of 68H, after the FEH preamble.</summary>
    public int Start { get; }

    public CjT188MeterType MeterType { get; }

    public MeterAddress Address { get; }

    public CjT188Control Control { get; }

    /// <summary>The length byte L: DI, SER and the data that follows.</summary>
    public int DataLength { get; }

    public MeterFrameError Error { get; }

    public string? Reason { get; }

    /// <summary>The offset of the offending byte in the bytes given.</summary>
    public int Offset { get; }

    /// <summary>The data field (everything L counts) within the bytes that were framed.</summary>
    public ReadOnlySpan<byte> Data(ReadOnlySpan<byte> received) =>
        Status == MeterDecodeStatus.Complete
            ? received.Slice(Start + CjT188Framer.HeaderLength, DataLength)
            : throw new InvalidOperationException($"Only a complete frame has data; this one is {Status}.");

    /// <summary>Reads DI and SER from the front of the data field in the meter's <paramref name="order"/>.</summary>
    public bool TryReadIdentifier(ReadOnlySpan<byte> received, CjT188IdentifierOrder order, out ushort identifier, out byte serial)
    {
        var data = Data(received);
        identifier = 0;
        serial = 0;
        if (data.Length < 3)
            return false;
        identifier = order == CjT188IdentifierOrder.HighByteFirst ? BinaryPrimitives.ReadUInt16BigEndian(data) : BinaryPrimitives.ReadUInt16LittleEndian(data);
        serial = data[2];
        return true;
    }

    public override string ToString() => Status switch
    {
        MeterDecodeStatus.Complete => $"complete, {Length} bytes, type {MeterType}, address {Address}, control {Control}, L={DataLength}",
        MeterDecodeStatus.NeedMoreData => $"need {Length} bytes",
        _ => $"{Error} at offset {Offset}: {Reason}",
    };

    internal static CjT188Frame Complete(int length, int start, CjT188MeterType meterType, MeterAddress address, CjT188Control control, int dataLength) =>
        new(MeterDecodeStatus.Complete, length, start, meterType, address, control, dataLength, MeterFrameError.None, null, 0);

    internal static CjT188Frame NeedMoreData(int length) =>
        new(MeterDecodeStatus.NeedMoreData, length, 0, default, default, default, 0, MeterFrameError.None, null, 0);

    internal static CjT188Frame Malformed(MeterFrameError error, string reason, int offset) =>
        new(MeterDecodeStatus.Malformed, 0, 0, default, default, default, 0, error, reason, offset);
}
