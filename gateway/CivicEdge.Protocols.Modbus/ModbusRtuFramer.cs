using System.Buffers.Binary;

namespace CivicEdge.Protocols.Modbus;

/// <summary>
/// Builds RTU application data units (address + PDU + CRC) and cuts them out of the bytes read from a serial line
/// (MODBUS over Serial Line V1.02 §2.3 and §2.5.1). RTU has no length field: a frame ends where its function code says
/// (Modbus Application Protocol V1.1b3 §6), so the framer works out the length from the function code and byte count
/// and only then checks the CRC. Pure and allocation-free: the caller owns every buffer.
/// </summary>
public static class ModbusRtuFramer
{
    /// <summary>Where the PDU starts in an ADU: after the one address byte.</summary>
    public const int PduOffset = 1;

    /// <summary>Bytes an ADU adds around its PDU: the address and the CRC.</summary>
    public const int Overhead = 1 + ModbusCrc16.Size;

    /// <summary>The largest RTU ADU (§2.5.1 and Application Protocol §4.1).</summary>
    public const int MaxAduLength = 256;

    /// <summary>The address of a broadcast request, which every slave executes and none answers (§2.2).</summary>
    public const byte BroadcastUnitId = 0;

    // The shortest frames each side can receive: an exception response (address, function, code, CRC) and a read
    // device identification request (address, 0x2B, 0x0E, read code, object id, CRC).
    private const int MinResponseLength = 5;
    private const int MinRequestLength = 7;

    private const int ReadRequestLength = 8;
    private const int MaxResponseByteCount = 250;
    private const int MaxFileRecordByteCount = 0xFB;

    /// <summary>Builds an ADU from a PDU the caller encoded elsewhere.</summary>
    /// <returns>The length of the whole ADU.</returns>
    public static int Encode(Span<byte> destination, byte unitId, ReadOnlySpan<byte> pdu)
    {
        CheckPduLength(pdu.Length);
        EnsureRoom(destination, pdu.Length);
        pdu.CopyTo(destination[PduOffset..]);
        return WriteAddressAndCrc(destination, unitId, pdu.Length);
    }

    /// <summary>
    /// Completes an ADU around a PDU that the caller already encoded at <c>adu[PduOffset..]</c>, so that a request is
    /// built in one buffer without copying: writes the address in front and the CRC behind, low byte first (§2.5.1.2).
    /// </summary>
    /// <returns>The length of the whole ADU.</returns>
    public static int WriteAddressAndCrc(Span<byte> adu, byte unitId, int pduLength)
    {
        CheckPduLength(pduLength);
        EnsureRoom(adu, pduLength);
        adu[0] = unitId;
        int crcOffset = PduOffset + pduLength;
        ModbusCrc16.Write(adu[crcOffset..], ModbusCrc16.Compute(adu[..crcOffset]));
        return crcOffset + ModbusCrc16.Size;
    }

    /// <summary>
    /// Looks for one response at the front of <paramref name="received"/>, as a master reads it. Bytes after it are
    /// left for the next call. Each field is checked as soon as it has arrived, so that garbage is reported without
    /// waiting for more bytes.
    /// </summary>
    /// <param name="received">The bytes read so far.</param>
    /// <param name="expectedUnit">The slave asked; another address is <see cref="ModbusRtuFrameError.UnexpectedUnit"/>. Null accepts 1..255.</param>
    /// <param name="expectedFunction">The function asked; another is <see cref="ModbusRtuFrameError.UnexpectedFunction"/> unless it is its exception.</param>
    public static ModbusRtuFrame FrameResponse(ReadOnlySpan<byte> received, byte? expectedUnit = null, ModbusFunctionCode? expectedFunction = null)
    {
        if (received.IsEmpty)
            return ModbusRtuFrame.NeedMoreData(MinResponseLength, 0);

        // [0] address of the slave that answers
        var unit = received[0];
        if (expectedUnit is { } expected && unit != expected)
            return ModbusRtuFrame.Malformed(ModbusRtuFrameError.UnexpectedUnit, $"expected the answer of unit {expected}, found unit {unit}", 0);
        if (unit == BroadcastUnitId)
            return ModbusRtuFrame.Malformed(ModbusRtuFrameError.UnexpectedUnit, "expected a slave address 1..255, found 0 (broadcast, which no slave answers)", 0);
        if (received.Length < 2)
            return ModbusRtuFrame.NeedMoreData(MinResponseLength, received.Length);

        // [1] function code, with 0x80 set on an exception response
        var function = received[1];
        if ((function & ModbusPdu.ExceptionFlag) != 0)
        {
            var asked = (byte)(function & ~ModbusPdu.ExceptionFlag);
            if (asked == 0 || (expectedFunction is { } expectedCode && asked != (byte)expectedCode))
                return UnexpectedResponseFunction(function, expectedFunction);

            // §7: [2] exception code; the length is fixed
            return CheckCrc(received, MinResponseLength, unit, function);
        }

        if (expectedFunction is { } code && function != (byte)code)
            return UnexpectedResponseFunction(function, expectedFunction);

        int length;
        switch ((ModbusFunctionCode)function)
        {
            case ModbusFunctionCode.ReadCoils or ModbusFunctionCode.ReadDiscreteInputs:
                // §6.1 / §6.2: [2] byte count = ceil(N / 8), N = 1..2000
                if (received.Length < 3)
                    return ModbusRtuFrame.NeedMoreData(6, received.Length);
                if (received[2] is < 1 or > MaxResponseByteCount)
                    return ModbusRtuFrame.Malformed(ModbusRtuFrameError.InvalidLength, $"expected a byte count of 1..{MaxResponseByteCount} for 1..{ModbusPdu.MaxReadBits} bits, found {received[2]}", 2);
                length = 5 + received[2];
                break;

            case ModbusFunctionCode.ReadHoldingRegisters or ModbusFunctionCode.ReadInputRegisters or ModbusFunctionCode.ReadWriteMultipleRegisters:
                // §6.3 / §6.4 / §6.17: [2] byte count = 2 x N, N = 1..125
                if (received.Length < 3)
                    return ModbusRtuFrame.NeedMoreData(7, received.Length);
                if (received[2] is < 2 or > MaxResponseByteCount || received[2] % 2 != 0)
                    return ModbusRtuFrame.Malformed(ModbusRtuFrameError.InvalidLength, $"expected an even byte count of 2..{MaxResponseByteCount} for 1..{ModbusPdu.MaxReadRegisters} registers, found {received[2]}", 2);
                length = 5 + received[2];
                break;

            case ModbusFunctionCode.WriteSingleCoil or ModbusFunctionCode.WriteSingleRegister
                or ModbusFunctionCode.WriteMultipleCoils or ModbusFunctionCode.WriteMultipleRegisters:
                // §6.5 / §6.6 / §6.11 / §6.12: [2..3] address  [4..5] value or quantity
                length = 8;
                break;

            case ModbusFunctionCode.ReadFileRecord or ModbusFunctionCode.WriteFileRecord:
                // §6.14: [2] response data length, 4..0xF5 (a sub-response is its length, reference type and records);
                // §6.15: the echo of the request, whose [2] request data length is 9..0xFB
                if (received.Length < 3)
                    return ModbusRtuFrame.NeedMoreData(9, received.Length);
                if (received[2] is < 4 or > MaxFileRecordByteCount)
                    return ModbusRtuFrame.Malformed(ModbusRtuFrameError.InvalidLength, $"expected a data length of 4..{MaxFileRecordByteCount} for file records, found {received[2]}", 2);
                length = 5 + received[2];
                break;

            case ModbusFunctionCode.EncapsulatedInterfaceTransport:
                if (!TryMeasureDeviceIdentificationResponse(received, out length, out var unmeasured))
                    return unmeasured;
                break;

            default:
                return UnexpectedResponseFunction(function, expectedFunction);
        }

        return CheckCrc(received, length, unit, function);
    }

    /// <summary>
    /// Looks for one request at the front of <paramref name="received"/>, as a slave reads it. Requests to every address
    /// are framed, so that a slave stays in step with a bus it shares; it answers only its own and broadcasts.
    /// A byte count is accepted as long as the frame fits in <see cref="MaxAduLength"/>: whether it matches the quantity
    /// is for <see cref="ModbusRequestPdu.Decode"/> to judge, and to answer with exception 03.
    /// </summary>
    public static ModbusRtuFrame FrameRequest(ReadOnlySpan<byte> received)
    {
        if (received.Length < 2)
            return ModbusRtuFrame.NeedMoreData(MinRequestLength, received.Length);

        // [0] address (0 = broadcast)  [1] function code
        var unit = received[0];
        var function = received[1];
        int length;
        switch ((ModbusFunctionCode)function)
        {
            case ModbusFunctionCode.ReadCoils or ModbusFunctionCode.ReadDiscreteInputs
                or ModbusFunctionCode.ReadHoldingRegisters or ModbusFunctionCode.ReadInputRegisters
                or ModbusFunctionCode.WriteSingleCoil or ModbusFunctionCode.WriteSingleRegister:
                // §6.1–§6.6: [2..3] address  [4..5] quantity or value
                length = ReadRequestLength;
                break;

            case ModbusFunctionCode.WriteMultipleCoils or ModbusFunctionCode.WriteMultipleRegisters:
                // §6.11 / §6.12: [2..3] address  [4..5] quantity  [6] byte count  [7..] values
                if (received.Length < 7)
                    return ModbusRtuFrame.NeedMoreData(9, received.Length);
                length = 9 + received[6];
                if (length > MaxAduLength)
                    return ModbusRtuFrame.Malformed(ModbusRtuFrameError.InvalidLength, $"expected a byte count of at most {MaxAduLength - 9}, found {received[6]}", 6);
                break;

            case ModbusFunctionCode.ReadWriteMultipleRegisters:
                // §6.17: [2..3] read address  [4..5] read quantity  [6..7] write address  [8..9] write quantity
                //        [10] write byte count  [11..] values
                if (received.Length < 11)
                    return ModbusRtuFrame.NeedMoreData(13, received.Length);
                length = 13 + received[10];
                if (length > MaxAduLength)
                    return ModbusRtuFrame.Malformed(ModbusRtuFrameError.InvalidLength, $"expected a write byte count of at most {MaxAduLength - 13}, found {received[10]}", 10);
                break;

            case ModbusFunctionCode.ReadFileRecord or ModbusFunctionCode.WriteFileRecord:
                // §6.14 / §6.15: [2] request data length  [3..] sub-requests
                if (received.Length < 3)
                    return ModbusRtuFrame.NeedMoreData(12, received.Length);
                length = 5 + received[2];
                if (received[2] > MaxFileRecordByteCount)
                    return ModbusRtuFrame.Malformed(ModbusRtuFrameError.InvalidLength, $"expected a request data length of at most {MaxFileRecordByteCount}, found {received[2]}", 2);
                break;

            case ModbusFunctionCode.EncapsulatedInterfaceTransport:
                // §6.21: [2] MEI type 0x0E  [3] read device id code  [4] object id
                if (received.Length < 3)
                    return ModbusRtuFrame.NeedMoreData(MinRequestLength, received.Length);
                if (received[2] != ModbusPdu.MeiReadDeviceIdentification)
                    return ModbusRtuFrame.Malformed(ModbusRtuFrameError.UnexpectedFunction, $"expected MEI type 0x0E (read device identification), found 0x{received[2]:X2}", 2);
                length = MinRequestLength;
                break;

            default:
                return ModbusRtuFrame.Malformed(ModbusRtuFrameError.UnexpectedFunction,
                    $"expected request function code 1, 2, 3, 4, 5, 6, 15, 16, 20, 21, 23 or 43, found {function} (0x{function:X2})", 1);
        }

        return CheckCrc(received, length, unit, function);
    }

    /// <summary>
    /// Takes all of <paramref name="received"/> as one frame, as §2.5.1.1 delimits frames on the wire: by a silence of
    /// t3.5. For a slave that must answer a function code it cannot frame by length with exception 01.
    /// </summary>
    public static ModbusRtuFrame FrameAtSilence(ReadOnlySpan<byte> received)
    {
        if (received.Length < 1 + 1 + ModbusCrc16.Size)
            return ModbusRtuFrame.Malformed(ModbusRtuFrameError.InvalidLength, $"expected at least 4 bytes (address, function code, CRC) before the silence, found {received.Length}", 0);
        if (received.Length > MaxAduLength)
            return ModbusRtuFrame.Malformed(ModbusRtuFrameError.InvalidLength, $"expected at most {MaxAduLength} bytes before the silence, found {received.Length}", MaxAduLength);
        return CheckCrc(received, received.Length, received[0], received[1]);
    }

    /// <summary>
    /// After <see cref="FrameResponse"/> rejected the front of <paramref name="received"/>, finds the next offset
    /// (from 1) where a response with a matching CRC starts. If none is complete, the first offset that could still
    /// begin one (need-more-data) is kept; if none could, every byte is skipped.
    /// </summary>
    public static ModbusRtuResync ResynchroniseResponse(ReadOnlySpan<byte> received, byte? expectedUnit = null, ModbusFunctionCode? expectedFunction = null)
    {
        int candidate = -1;
        ModbusRtuFrame candidateFrame = default;
        for (int offset = 1; offset < received.Length; offset++)
        {
            // Most offsets fail on their first two bytes; rule those out without building a reason for each.
            if (!CouldStartResponse(received[offset..], expectedUnit, expectedFunction))
                continue;
            var frame = FrameResponse(received[offset..], expectedUnit, expectedFunction);
            if (frame.Status == ModbusDecodeStatus.Complete)
                return new ModbusRtuResync(offset, frame);
            if (frame.Status == ModbusDecodeStatus.NeedMoreData && candidate < 0)
                (candidate, candidateFrame) = (offset, frame);
        }

        return candidate >= 0
            ? new ModbusRtuResync(candidate, candidateFrame)
            : new ModbusRtuResync(received.Length, ModbusRtuFrame.NeedMoreData(MinResponseLength, 0));
    }

    /// <summary>The same as <see cref="ResynchroniseResponse"/> for a slave, with <see cref="FrameRequest"/>.</summary>
    public static ModbusRtuResync ResynchroniseRequest(ReadOnlySpan<byte> received)
    {
        int candidate = -1;
        ModbusRtuFrame candidateFrame = default;
        for (int offset = 1; offset < received.Length; offset++)
        {
            if (received.Length - offset >= 2 && !IsFramedFunction(received[offset + 1]))
                continue;
            var frame = FrameRequest(received[offset..]);
            if (frame.Status == ModbusDecodeStatus.Complete)
                return new ModbusRtuResync(offset, frame);
            if (frame.Status == ModbusDecodeStatus.NeedMoreData && candidate < 0)
                (candidate, candidateFrame) = (offset, frame);
        }

        return candidate >= 0
            ? new ModbusRtuResync(candidate, candidateFrame)
            : new ModbusRtuResync(received.Length, ModbusRtuFrame.NeedMoreData(MinRequestLength, 0));
    }

    private static bool CouldStartResponse(ReadOnlySpan<byte> candidate, byte? expectedUnit, ModbusFunctionCode? expectedFunction)
    {
        var unit = candidate[0];
        if (unit == BroadcastUnitId || (expectedUnit is { } expected && unit != expected))
            return false;
        if (candidate.Length < 2)
            return true;
        var function = candidate[1];
        var asked = (byte)(function & ~ModbusPdu.ExceptionFlag);
        if (expectedFunction is { } code)
            return asked == (byte)code;

        // An exception may answer any function, even one this stack cannot frame (§7, exception 01).
        return (function & ModbusPdu.ExceptionFlag) != 0 ? asked != 0 : IsFramedFunction(function);
    }

    private static bool IsFramedFunction(byte function) => (ModbusFunctionCode)function is
        ModbusFunctionCode.ReadCoils or ModbusFunctionCode.ReadDiscreteInputs
        or ModbusFunctionCode.ReadHoldingRegisters or ModbusFunctionCode.ReadInputRegisters
        or ModbusFunctionCode.WriteSingleCoil or ModbusFunctionCode.WriteSingleRegister
        or ModbusFunctionCode.WriteMultipleCoils or ModbusFunctionCode.WriteMultipleRegisters
        or ModbusFunctionCode.ReadWriteMultipleRegisters or ModbusFunctionCode.EncapsulatedInterfaceTransport
        or ModbusFunctionCode.ReadFileRecord or ModbusFunctionCode.WriteFileRecord;

    /// <summary>
    /// Walks the objects of a read device identification response to find its end (§6.21):
    /// [2] MEI type 0x0E  [3] read device id code  [4] conformity level  [5] more follows  [6] next object id
    /// [7] number of objects, then per object [id] [length] [value].
    /// </summary>
    private static bool TryMeasureDeviceIdentificationResponse(ReadOnlySpan<byte> received, out int length, out ModbusRtuFrame unmeasured)
    {
        const int ObjectsOffset = 8;
        length = 0;
        unmeasured = default;
        if (received.Length >= 3 && received[2] != ModbusPdu.MeiReadDeviceIdentification)
        {
            unmeasured = ModbusRtuFrame.Malformed(ModbusRtuFrameError.UnexpectedFunction, $"expected MEI type 0x0E (read device identification), found 0x{received[2]:X2}", 2);
            return false;
        }

        if (received.Length < ObjectsOffset)
        {
            unmeasured = ModbusRtuFrame.NeedMoreData(ObjectsOffset + ModbusCrc16.Size, received.Length);
            return false;
        }

        int objects = received[7];
        int position = ObjectsOffset;
        for (int i = 0; i < objects; i++)
        {
            // This object and every one after it take at least their id and length bytes.
            int atLeast = position + (2 * (objects - i)) + ModbusCrc16.Size;
            if (atLeast > MaxAduLength)
            {
                unmeasured = ModbusRtuFrame.Malformed(ModbusRtuFrameError.InvalidLength, $"expected {objects} objects to fit in {MaxAduLength} bytes, found object {i} starting at offset {position}", 7);
                return false;
            }

            if (received.Length < position + 2)
            {
                unmeasured = ModbusRtuFrame.NeedMoreData(atLeast, received.Length);
                return false;
            }

            position += 2 + received[position + 1];
        }

        length = position + ModbusCrc16.Size;
        if (length > MaxAduLength)
        {
            unmeasured = ModbusRtuFrame.Malformed(ModbusRtuFrameError.InvalidLength, $"expected objects that fit in {MaxAduLength} bytes, found {length} bytes", 7);
            return false;
        }

        return true;
    }

    private static ModbusRtuFrame CheckCrc(ReadOnlySpan<byte> received, int length, byte unit, byte function)
    {
        if (received.Length < length)
            return ModbusRtuFrame.NeedMoreData(length, received.Length);

        // §2.5.1.2: the CRC covers address and PDU and travels low byte first.
        var computed = ModbusCrc16.Compute(received[..(length - ModbusCrc16.Size)]);
        var found = BinaryPrimitives.ReadUInt16LittleEndian(received[(length - ModbusCrc16.Size)..]);
        if (computed != found)
        {
            return ModbusRtuFrame.Malformed(ModbusRtuFrameError.CrcMismatch,
                $"expected CRC 0x{computed:X4} over {length - ModbusCrc16.Size} bytes, found 0x{found:X4}", length - ModbusCrc16.Size);
        }

        return ModbusRtuFrame.Complete(length, unit, function);
    }

    private static ModbusRtuFrame UnexpectedResponseFunction(byte function, ModbusFunctionCode? expectedFunction) =>
        ModbusRtuFrame.Malformed(ModbusRtuFrameError.UnexpectedFunction,
            expectedFunction is { } expected
                ? $"expected function code 0x{(byte)expected:X2} or its exception 0x{(byte)expected | ModbusPdu.ExceptionFlag:X2}, found 0x{function:X2}"
                : $"expected response function code 1, 2, 3, 4, 5, 6, 15, 16, 23, 43 or an exception, found 0x{function:X2}",
            1);

    private static void CheckPduLength(int pduLength)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(pduLength, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(pduLength, ModbusPdu.MaxLength);
    }

    private static void EnsureRoom(Span<byte> adu, int pduLength)
    {
        if (adu.Length < pduLength + Overhead)
            throw new ArgumentException($"An RTU ADU with a {pduLength}-byte PDU needs {pduLength + Overhead} bytes; the buffer has {adu.Length}.", nameof(adu));
    }
}
