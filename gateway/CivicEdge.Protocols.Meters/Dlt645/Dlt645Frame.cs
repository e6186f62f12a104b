namespace CivicEdge.Protocols.Meters.Dlt645;

/// <summary>What <see cref="Dlt645Framer"/> found at the front of the bytes received so far.</summary>
public readonly struct Dlt645Frame
{
    private Dlt645Frame(
        MeterDecodeStatus status, int length, int start, MeterAddress address, Dlt645Control control, int dataLength,
        MeterFrameError error, string? reason, int offset)
    {
        Status = status;
        Length = length;
        Start = start;
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

    /// <summary>The offset of the first 68H, after the FEH preamble.</summary>
    public int Start { get; }

    public MeterAddress Address { get; }

    public Dlt645Control Control { get; }

    /// <summary>The length byte L: the bytes in the data field.</summary>
    public int DataLength { get; }

    public MeterFrameError Error { get; }

    /// <summary>Why the bytes are malformed: what was expected, what was found.</summary>
    public string? Reason { get; }

    /// <summary>The offset of the offending byte in the bytes given.</summary>
    public int Offset { get; }

    /// <summary>Copies the data field with the 33H offset taken off (§4.1.5) and returns its length.</summary>
    public int CopyData(ReadOnlySpan<byte> received, Span<byte> destination)
    {
        if (Status != MeterDecodeStatus.Complete)
            throw new InvalidOperationException($"Only a complete frame has data; this one is {Status}.");
        if (destination.Length < DataLength)
            throw new ArgumentException($"The data field has {DataLength} bytes; the buffer has {destination.Length}.", nameof(destination));
        var field = received.Slice(Start + Dlt645Framer.HeaderLength, DataLength);
        for (int i = 0; i < field.Length; i++)
            destination[i] = (byte)(field[i] - Dlt645Framer.DataOffset);
        return DataLength;
    }

    /// <summary>The data field with the 33H offset taken off.</summary>
    public byte[] Data(ReadOnlySpan<byte> received)
    {
        var data = new byte[DataLength];
        CopyData(received, data);
        return data;
    }

    public override string ToString() => Status switch
    {
        MeterDecodeStatus.Complete => $"complete, {Length} bytes, address {Address}, control {Control}, L={DataLength}",
        MeterDecodeStatus.NeedMoreData => $"need {Length} bytes",
        _ => $"{Error} at offset {Offset}: {Reason}",
    };

    internal static Dlt645Frame Complete(int length, int start, MeterAddress address, Dlt645Control control, int dataLength) =>
        new(MeterDecodeStatus.Complete, length, start, address, control, dataLength, MeterFrameError.None, null, 0);

    internal static Dlt645Frame NeedMoreData(int length) =>
        new(MeterDecodeStatus.NeedMoreData, length, 0, default, default, 0, MeterFrameError.None, null, 0);

    internal static Dlt645Frame Malformed(MeterFrameError error, string reason, int offset) =>
        new(MeterDecodeStatus.Malformed, 0, 0, default, default, 0, error, reason, offset);
}
