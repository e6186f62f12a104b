namespace CivicEdge.Protocols.Modbus;

/// <summary>
/// A response PDU as a master decoded it against the request it sent (<see cref="ModbusResponsePdu"/>).
/// A complete response is either the data asked for or an exception response (§7).
/// </summary>
public readonly struct ModbusResponse
{
    private ModbusResponse(ModbusDecodeStatus status, int length, ModbusExceptionCode exceptionCode, string? reason, int offset)
    {
        Status = status;
        Length = length;
        ExceptionCode = exceptionCode;
        Reason = reason;
        Offset = offset;
    }

    public ModbusDecodeStatus Status { get; }

    /// <summary>
    /// Complete: the PDU bytes the response took. Need-more-data: how many PDU bytes must have arrived.
    /// </summary>
    public int Length { get; }

    /// <summary>The slave's exception code for an exception response; otherwise <see cref="ModbusExceptionCode.None"/>.</summary>
    public ModbusExceptionCode ExceptionCode { get; }

    /// <summary>Why the response is malformed: what was expected and what was found.</summary>
    public string? Reason { get; }

    /// <summary>The PDU offset of the offending field.</summary>
    public int Offset { get; }

    public bool IsException => ExceptionCode != ModbusExceptionCode.None;

    public override string ToString() => Status switch
    {
        ModbusDecodeStatus.Complete when IsException => $"exception {(byte)ExceptionCode:X2} ({ExceptionCode})",
        ModbusDecodeStatus.Complete => $"complete, {Length} bytes",
        ModbusDecodeStatus.NeedMoreData => $"need {Length} bytes",
        _ => $"malformed at offset {Offset}: {Reason}",
    };

    internal static ModbusResponse Complete(int length) =>
        new(ModbusDecodeStatus.Complete, length, ModbusExceptionCode.None, null, 0);

    internal static ModbusResponse Exception(ModbusExceptionCode code) =>
        new(ModbusDecodeStatus.Complete, 2, code, null, 0);

    internal static ModbusResponse NeedMoreData(int length) =>
        new(ModbusDecodeStatus.NeedMoreData, length, ModbusExceptionCode.None, null, 0);

    internal static ModbusResponse Malformed(string reason, int offset) =>
        new(ModbusDecodeStatus.Malformed, 0, ModbusExceptionCode.None, reason, offset);
}
