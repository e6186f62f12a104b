namespace CivicEdge.Protocols.Modbus;

/// <summary>
/// A request PDU as a server decoded it (<see cref="ModbusRequestPdu.Decode"/>). A complete request can still be one
/// the server must refuse: then <see cref="Rejection"/> names the exception code to answer with (§6 state diagrams).
/// </summary>
public readonly struct ModbusRequest
{
    private ModbusRequest(
        ModbusDecodeStatus status, int length, ModbusFunctionCode function, ushort address, ushort quantity,
        ModbusExceptionCode rejection, string? reason, int offset)
    {
        Status = status;
        Length = length;
        Function = function;
        Address = address;
        Quantity = quantity;
        Rejection = rejection;
        Reason = reason;
        Offset = offset;
    }

    /// <summary>Complete or need-more-data; a request the server can frame is never malformed, only refused.</summary>
    public ModbusDecodeStatus Status { get; }

    /// <summary>
    /// Complete: the PDU bytes the request took (all given bytes for an unknown function code, whose length is unknowable).
    /// Need-more-data: how many PDU bytes must have arrived.
    /// </summary>
    public int Length { get; }

    /// <summary>The function code as received; may be one this stack does not speak.</summary>
    public ModbusFunctionCode Function { get; }

    /// <summary>The zero-based starting address; for function code 23 the address read.</summary>
    public ushort Address { get; }

    /// <summary>
    /// The registers or bits read or written: 1 for function codes 5 and 6; for function code 23 the registers read.
    /// </summary>
    public ushort Quantity { get; }

    /// <summary>Function code 23: the zero-based address written.</summary>
    public ushort WriteAddress { get; private init; }

    /// <summary>Function code 23: the registers written (their values are in the decoder's values buffer).</summary>
    public ushort WriteQuantity { get; private init; }

    /// <summary>
    /// Function code 15: the PDU offset of the packed coil values (<see cref="ModbusBits.Unpack"/> of
    /// <see cref="Quantity"/> bits from there); otherwise 0.
    /// </summary>
    public int DataOffset { get; private init; }

    /// <summary>Function code 43/14: what the master asks for.</summary>
    public ModbusReadDeviceIdCode ReadDeviceIdCode { get; private init; }

    /// <summary>Function code 43/14: the object to start at (or the one object, for <see cref="ModbusReadDeviceIdCode.Specific"/>).</summary>
    public byte ObjectId { get; private init; }

    /// <summary>The exception code the server must answer with, or <see cref="ModbusExceptionCode.None"/> for a valid request.</summary>
    public ModbusExceptionCode Rejection { get; }

    /// <summary>Why the request is refused or incomplete.</summary>
    public string? Reason { get; }

    /// <summary>The PDU offset of the offending field.</summary>
    public int Offset { get; }

    public bool IsValid => Status == ModbusDecodeStatus.Complete && Rejection == ModbusExceptionCode.None;

    public override string ToString() => Status switch
    {
        ModbusDecodeStatus.NeedMoreData => $"need {Length} bytes",
        _ when Rejection != ModbusExceptionCode.None => $"{Function} refused with {Rejection} at offset {Offset}: {Reason}",
        _ when Function == ModbusFunctionCode.ReadWriteMultipleRegisters =>
            $"{Function} read address {Address} quantity {Quantity}, write address {WriteAddress} quantity {WriteQuantity}",
        _ when Function == ModbusFunctionCode.EncapsulatedInterfaceTransport => $"read device identification {ReadDeviceIdCode} from object {ObjectId}",
        _ => $"{Function} address {Address} quantity {Quantity}",
    };

    internal static ModbusRequest Valid(int length, ModbusFunctionCode function, ushort address, ushort quantity) =>
        new(ModbusDecodeStatus.Complete, length, function, address, quantity, ModbusExceptionCode.None, null, 0);

    internal static ModbusRequest ValidCoilWrite(int length, ushort address, ushort quantity, int dataOffset) =>
        Valid(length, ModbusFunctionCode.WriteMultipleCoils, address, quantity) with { DataOffset = dataOffset };

    internal static ModbusRequest ValidReadWrite(int length, ushort readAddress, ushort readQuantity, ushort writeAddress, ushort writeQuantity) =>
        Valid(length, ModbusFunctionCode.ReadWriteMultipleRegisters, readAddress, readQuantity) with
        {
            WriteAddress = writeAddress,
            WriteQuantity = writeQuantity,
        };

    internal static ModbusRequest ValidDeviceIdentification(int length, ModbusReadDeviceIdCode code, byte objectId) =>
        Valid(length, ModbusFunctionCode.EncapsulatedInterfaceTransport, 0, 0) with { ReadDeviceIdCode = code, ObjectId = objectId };

    internal static ModbusRequest Refused(int length, ModbusFunctionCode function, ModbusExceptionCode rejection, string reason, int offset) =>
        new(ModbusDecodeStatus.Complete, length, function, 0, 0, rejection, reason, offset);

    internal static ModbusRequest NeedMoreData(int length, ModbusFunctionCode function) =>
        new(ModbusDecodeStatus.NeedMoreData, length, function, 0, 0, ModbusExceptionCode.None, null, 0);
}
