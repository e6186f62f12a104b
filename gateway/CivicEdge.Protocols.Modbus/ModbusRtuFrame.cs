namespace CivicEdge.Protocols.Modbus;

/// <summary>What <see cref="ModbusRtuFramer"/> found at the front of the bytes received so far.</summary>
public readonly struct ModbusRtuFrame
{
    private ModbusRtuFrame(
        ModbusDecodeStatus status, int length, int moreBytesNeeded, byte unitId, ModbusFunctionCode function,
        ModbusRtuFrameError error, string? reason, int offset)
    {
        Status = status;
        Length = length;
        MoreBytesNeeded = moreBytesNeeded;
        UnitId = unitId;
        Function = function;
        Error = error;
        Reason = reason;
        Offset = offset;
    }

    public ModbusDecodeStatus Status { get; }

    /// <summary>
    /// <see cref="ModbusDecodeStatus.Complete"/>: the bytes of the whole ADU (address, PDU, CRC), to consume.
    /// <see cref="ModbusDecodeStatus.NeedMoreData"/>: how many bytes must have arrived, at least, before framing can go on.
    /// </summary>
    public int Length { get; }

    /// <summary>Need-more-data: how many bytes beyond those given must arrive, at least; otherwise 0.</summary>
    public int MoreBytesNeeded { get; }

    /// <summary>The address byte of a complete frame.</summary>
    public byte UnitId { get; }

    /// <summary>The function code of a complete frame as sent, with <see cref="ModbusPdu.ExceptionFlag"/> on an exception response.</summary>
    public ModbusFunctionCode Function { get; }

    /// <summary>The kind of fault of a malformed frame.</summary>
    public ModbusRtuFrameError Error { get; }

    /// <summary>Why the bytes are malformed: what was expected and what was found.</summary>
    public string? Reason { get; }

    /// <summary>The offset of the offending field from the start of the frame.</summary>
    public int Offset { get; }

    /// <summary>Whether a complete frame is an exception response (§7).</summary>
    public bool IsException => Status == ModbusDecodeStatus.Complete && ((byte)Function & ModbusPdu.ExceptionFlag) != 0;

    /// <summary>Whether a complete frame went to every slave (address 0, §2.2); no slave answers it.</summary>
    public bool IsBroadcast => Status == ModbusDecodeStatus.Complete && UnitId == ModbusRtuFramer.BroadcastUnitId;

    /// <summary>The PDU of this complete frame within the bytes that were framed: without address and CRC.</summary>
    public ReadOnlySpan<byte> Pdu(ReadOnlySpan<byte> received) =>
        Status == ModbusDecodeStatus.Complete
            ? received.Slice(ModbusRtuFramer.PduOffset, Length - ModbusRtuFramer.Overhead)
            : throw new InvalidOperationException($"Only a complete frame has a PDU; this one is {Status}.");

    public override string ToString() => Status switch
    {
        ModbusDecodeStatus.Complete => $"complete, {Length} bytes, unit {UnitId}, function 0x{(byte)Function:X2}",
        ModbusDecodeStatus.NeedMoreData => $"need {Length} bytes ({MoreBytesNeeded} more)",
        _ => $"{Error} at offset {Offset}: {Reason}",
    };

    internal static ModbusRtuFrame Complete(int length, byte unitId, byte function) =>
        new(ModbusDecodeStatus.Complete, length, 0, unitId, (ModbusFunctionCode)function, ModbusRtuFrameError.None, null, 0);

    internal static ModbusRtuFrame NeedMoreData(int length, int received) =>
        new(ModbusDecodeStatus.NeedMoreData, length, length - received, 0, default, ModbusRtuFrameError.None, null, 0);

    internal static ModbusRtuFrame Malformed(ModbusRtuFrameError error, string reason, int offset) =>
        new(ModbusDecodeStatus.Malformed, 0, 0, 0, default, error, reason, offset);
}
