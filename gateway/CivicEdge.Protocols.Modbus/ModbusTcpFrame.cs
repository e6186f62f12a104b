namespace CivicEdge.Protocols.Modbus;

/// <summary>What <see cref="ModbusTcpFramer.Frame"/> found at the front of the bytes received so far.</summary>
public readonly struct ModbusTcpFrame
{
    private ModbusTcpFrame(ModbusDecodeStatus status, int length, MbapHeader header, string? reason, int offset)
    {
        Status = status;
        Length = length;
        Header = header;
        Reason = reason;
        Offset = offset;
    }

    public ModbusDecodeStatus Status { get; }

    /// <summary>
    /// <see cref="ModbusDecodeStatus.Complete"/>: the bytes of the whole ADU (header and PDU), to consume.
    /// <see cref="ModbusDecodeStatus.NeedMoreData"/>: how many bytes must have arrived before framing can go on.
    /// </summary>
    public int Length { get; }

    /// <summary>The header of a complete frame.</summary>
    public MbapHeader Header { get; }

    /// <summary>Why the bytes are malformed: what was expected and what was found.</summary>
    public string? Reason { get; }

    /// <summary>The offset of the offending field from the start of the frame.</summary>
    public int Offset { get; }

    /// <summary>The PDU of this complete frame within the bytes that were framed.</summary>
    public ReadOnlySpan<byte> Pdu(ReadOnlySpan<byte> received) =>
        Status == ModbusDecodeStatus.Complete
            ? received.Slice(MbapHeader.Size, Length - MbapHeader.Size)
            : throw new InvalidOperationException($"Only a complete frame has a PDU; this one is {Status}.");

    public override string ToString() => Status switch
    {
        ModbusDecodeStatus.Complete => $"complete, {Length} bytes, {Header}",
        ModbusDecodeStatus.NeedMoreData => $"need {Length} bytes",
        _ => $"malformed at offset {Offset}: {Reason}",
    };

    internal static ModbusTcpFrame Complete(int length, MbapHeader header) =>
        new(ModbusDecodeStatus.Complete, length, header, null, 0);

    internal static ModbusTcpFrame NeedMoreData(int length) =>
        new(ModbusDecodeStatus.NeedMoreData, length, default, null, 0);

    internal static ModbusTcpFrame Malformed(string reason, int offset) =>
        new(ModbusDecodeStatus.Malformed, 0, default, reason, offset);
}
