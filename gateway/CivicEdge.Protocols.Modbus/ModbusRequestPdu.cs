using System.Buffers.Binary;

namespace CivicEdge.Protocols.Modbus;

/// <summary>
/// Request PDUs: encoded by a master, decoded by a server (Modbus Application Protocol V1.1b3 §6.1–§6.6, §6.11,
/// §6.12, §6.17, §6.21). All fields are big-endian (§4.2).
/// </summary>
public static class ModbusRequestPdu
{
    /// <summary>Function code, address and quantity: the whole request of function codes 3 and 4, and of 6 with its value.</summary>
    public const int FixedLength = 5;

    /// <summary>
    /// The longest request: function code 16 carrying <see cref="ModbusPdu.MaxWriteRegisters"/> registers (function code
    /// 15 with 1968 coils and 23 with 121 registers come to the same 252 bytes).
    /// </summary>
    public const int MaxLength = 6 + (2 * ModbusPdu.MaxWriteRegisters);

    /// <summary>The whole request of function code 43/14: function, MEI type, read device id code, object id.</summary>
    public const int ReadDeviceIdentificationLength = 4;

    /// <summary>The value of function code 5 that switches a coil on (§6.5); 0x0000 switches it off, anything else is refused.</summary>
    public const ushort CoilOn = 0xFF00;

    /// <summary>Encodes a read of 1..2000 coils (function code 1) or discrete inputs (function code 2).</summary>
    /// <returns>The number of bytes written.</returns>
    public static int EncodeReadBits(Span<byte> destination, ModbusFunctionCode function, ushort address, int quantity)
    {
        if (function is not (ModbusFunctionCode.ReadCoils or ModbusFunctionCode.ReadDiscreteInputs))
            throw new ArgumentOutOfRangeException(nameof(function), function, "Only function codes 1 and 2 read bits.");
        ArgumentOutOfRangeException.ThrowIfLessThan(quantity, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(quantity, ModbusPdu.MaxReadBits);
        EnsureRoom(destination, FixedLength);

        // §6.1 / §6.2: [0] function  [1..2] starting address  [3..4] quantity of bits (1..2000)
        destination[0] = (byte)function;
        BinaryPrimitives.WriteUInt16BigEndian(destination[1..], address);
        BinaryPrimitives.WriteUInt16BigEndian(destination[3..], (ushort)quantity);
        return FixedLength;
    }

    /// <summary>Encodes a switch of one coil (function code 5).</summary>
    public static int EncodeWriteSingleCoil(Span<byte> destination, ushort address, bool on)
    {
        EnsureRoom(destination, FixedLength);

        // §6.5: [0] function 0x05  [1..2] output address  [3..4] 0xFF00 on or 0x0000 off
        destination[0] = (byte)ModbusFunctionCode.WriteSingleCoil;
        BinaryPrimitives.WriteUInt16BigEndian(destination[1..], address);
        BinaryPrimitives.WriteUInt16BigEndian(destination[3..], on ? CoilOn : (ushort)0);
        return FixedLength;
    }

    /// <summary>Encodes a write of 1..1968 coils (function code 15).</summary>
    public static int EncodeWriteMultipleCoils(Span<byte> destination, ushort address, ReadOnlySpan<bool> coils)
    {
        if (coils.Length is < 1 or > ModbusPdu.MaxWriteBits)
            throw new ArgumentOutOfRangeException(nameof(coils), coils.Length, $"Function code 15 writes 1..{ModbusPdu.MaxWriteBits} coils.");
        int byteCount = ModbusBits.ByteCount(coils.Length);
        EnsureRoom(destination, 6 + byteCount);

        // §6.11: [0] function 0x0F  [1..2] starting address  [3..4] quantity of outputs  [5] byte count = ceil(N / 8)
        //        [6..] outputs, packed eight to a byte, first coil in the lowest bit
        destination[0] = (byte)ModbusFunctionCode.WriteMultipleCoils;
        BinaryPrimitives.WriteUInt16BigEndian(destination[1..], address);
        BinaryPrimitives.WriteUInt16BigEndian(destination[3..], (ushort)coils.Length);
        destination[5] = (byte)byteCount;
        return 6 + ModbusBits.Pack(coils, destination[6..]);
    }

    /// <summary>
    /// Encodes a read/write of holding registers (function code 23): the server writes <paramref name="values"/>
    /// (1..121) at <paramref name="writeAddress"/> first, then reads <paramref name="readQuantity"/> (1..125) registers.
    /// </summary>
    public static int EncodeReadWriteMultipleRegisters(
        Span<byte> destination, ushort readAddress, int readQuantity, ushort writeAddress, ReadOnlySpan<ushort> values)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(readQuantity, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(readQuantity, ModbusPdu.MaxReadWriteReadRegisters);
        if (values.Length is < 1 or > ModbusPdu.MaxReadWriteWriteRegisters)
            throw new ArgumentOutOfRangeException(nameof(values), values.Length, $"Function code 23 writes 1..{ModbusPdu.MaxReadWriteWriteRegisters} registers.");
        int length = 10 + (2 * values.Length);
        EnsureRoom(destination, length);

        // §6.17: [0] function 0x17  [1..2] read starting address  [3..4] quantity to read (1..125)
        //        [5..6] write starting address  [7..8] quantity to write (1..121)  [9] write byte count = 2 x N
        //        [10..] registers to write, two bytes each
        destination[0] = (byte)ModbusFunctionCode.ReadWriteMultipleRegisters;
        BinaryPrimitives.WriteUInt16BigEndian(destination[1..], readAddress);
        BinaryPrimitives.WriteUInt16BigEndian(destination[3..], (ushort)readQuantity);
        BinaryPrimitives.WriteUInt16BigEndian(destination[5..], writeAddress);
        BinaryPrimitives.WriteUInt16BigEndian(destination[7..], (ushort)values.Length);
        destination[9] = (byte)(2 * values.Length);
        for (int i = 0; i < values.Length; i++)
            BinaryPrimitives.WriteUInt16BigEndian(destination[(10 + (2 * i))..], values[i]);
        return length;
    }

    /// <summary>Encodes a read device identification request (function code 43, MEI type 14).</summary>
    public static int EncodeReadDeviceIdentification(Span<byte> destination, ModbusReadDeviceIdCode code, byte objectId)
    {
        if (code is < ModbusReadDeviceIdCode.Basic or > ModbusReadDeviceIdCode.Specific)
            throw new ArgumentOutOfRangeException(nameof(code), code, "A read device id code is 1..4.");
        EnsureRoom(destination, ReadDeviceIdentificationLength);

        // §6.21: [0] function 0x2B  [1] MEI type 0x0E  [2] read device id code (1..4)  [3] object id
        destination[0] = (byte)ModbusFunctionCode.EncapsulatedInterfaceTransport;
        destination[1] = ModbusPdu.MeiReadDeviceIdentification;
        destination[2] = (byte)code;
        destination[3] = objectId;
        return ReadDeviceIdentificationLength;
    }

    /// <summary>Encodes a read of 1..125 holding (function code 3) or input (function code 4) registers.</summary>
    /// <returns>The number of bytes written.</returns>
    public static int EncodeReadRegisters(Span<byte> destination, ModbusFunctionCode function, ushort address, int quantity)
    {
        if (function is not (ModbusFunctionCode.ReadHoldingRegisters or ModbusFunctionCode.ReadInputRegisters))
            throw new ArgumentOutOfRangeException(nameof(function), function, "Only function codes 3 and 4 read registers.");
        ArgumentOutOfRangeException.ThrowIfLessThan(quantity, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(quantity, ModbusPdu.MaxReadRegisters);
        EnsureRoom(destination, FixedLength);

        // §6.3 / §6.4: [0] function  [1..2] starting address  [3..4] quantity of registers (1..125)
        destination[0] = (byte)function;
        BinaryPrimitives.WriteUInt16BigEndian(destination[1..], address);
        BinaryPrimitives.WriteUInt16BigEndian(destination[3..], (ushort)quantity);
        return FixedLength;
    }

    /// <summary>Encodes a write of one holding register (function code 6).</summary>
    public static int EncodeWriteSingleRegister(Span<byte> destination, ushort address, ushort value)
    {
        EnsureRoom(destination, FixedLength);

        // §6.6: [0] function 0x06  [1..2] register address  [3..4] register value
        destination[0] = (byte)ModbusFunctionCode.WriteSingleRegister;
        BinaryPrimitives.WriteUInt16BigEndian(destination[1..], address);
        BinaryPrimitives.WriteUInt16BigEndian(destination[3..], value);
        return FixedLength;
    }

    /// <summary>Encodes a write of 1..123 holding registers (function code 16).</summary>
    public static int EncodeWriteMultipleRegisters(Span<byte> destination, ushort address, ReadOnlySpan<ushort> values)
    {
        if (values.Length is < 1 or > ModbusPdu.MaxWriteRegisters)
            throw new ArgumentOutOfRangeException(nameof(values), values.Length, $"Function code 16 writes 1..{ModbusPdu.MaxWriteRegisters} registers.");
        int length = 6 + (2 * values.Length);
        EnsureRoom(destination, length);

        // §6.12: [0] function 0x10  [1..2] starting address  [3..4] quantity (1..123)  [5] byte count = 2 x quantity
        //        [6..] register values, two bytes each
        destination[0] = (byte)ModbusFunctionCode.WriteMultipleRegisters;
        BinaryPrimitives.WriteUInt16BigEndian(destination[1..], address);
        BinaryPrimitives.WriteUInt16BigEndian(destination[3..], (ushort)values.Length);
        destination[5] = (byte)(2 * values.Length);
        for (int i = 0; i < values.Length; i++)
            BinaryPrimitives.WriteUInt16BigEndian(destination[(6 + (2 * i))..], values[i]);
        return length;
    }

    /// <summary>
    /// Decodes a request PDU as a server receives it, checking it in the order of the §6 state diagrams:
    /// function code (exception 01), then quantity, value and byte count (exception 03). The address range is the data
    /// model's to judge (exception 02). Register values of a write land in <paramref name="values"/>: the value of
    /// function code 6, the registers of 16 and 23, and the raw 0xFF00/0x0000 of function code 5. The coils of function
    /// code 15 stay packed in the PDU at <see cref="ModbusRequest.DataOffset"/>.
    /// </summary>
    /// <param name="pdu">The bytes received so far, starting at the function code.</param>
    /// <param name="values">Room for the values of a write: at least <see cref="ModbusPdu.MaxWriteRegisters"/> registers.</param>
    public static ModbusRequest Decode(ReadOnlySpan<byte> pdu, Span<ushort> values)
    {
        if (values.Length < ModbusPdu.MaxWriteRegisters)
            throw new ArgumentException($"The values buffer must hold {ModbusPdu.MaxWriteRegisters} registers; it holds {values.Length}.", nameof(values));
        if (pdu.IsEmpty)
            return ModbusRequest.NeedMoreData(1, default);

        var function = (ModbusFunctionCode)pdu[0];
        return function switch
        {
            ModbusFunctionCode.ReadCoils or ModbusFunctionCode.ReadDiscreteInputs => DecodeReadBits(pdu, function),
            ModbusFunctionCode.ReadHoldingRegisters or ModbusFunctionCode.ReadInputRegisters => DecodeRead(pdu, function),
            ModbusFunctionCode.WriteSingleCoil => DecodeWriteSingleCoil(pdu, values),
            ModbusFunctionCode.WriteSingleRegister => DecodeWriteSingle(pdu, values),
            ModbusFunctionCode.WriteMultipleCoils => DecodeWriteMultipleCoils(pdu),
            ModbusFunctionCode.WriteMultipleRegisters => DecodeWriteMultiple(pdu, values),
            ModbusFunctionCode.ReadWriteMultipleRegisters => DecodeReadWrite(pdu, values),
            ModbusFunctionCode.EncapsulatedInterfaceTransport => DecodeReadDeviceIdentification(pdu),
            _ => ModbusRequest.Refused(pdu.Length, function, ModbusExceptionCode.IllegalFunction,
                $"expected function code 1, 2, 3, 4, 5, 6, 15, 16, 23 or 43, found {pdu[0]} (0x{pdu[0]:X2})", 0),
        };
    }

    private static ModbusRequest DecodeReadBits(ReadOnlySpan<byte> pdu, ModbusFunctionCode function)
    {
        // §6.1 / §6.2: [0] function  [1..2] starting address  [3..4] quantity of bits
        if (pdu.Length < FixedLength)
            return ModbusRequest.NeedMoreData(FixedLength, function);
        var address = BinaryPrimitives.ReadUInt16BigEndian(pdu[1..]);
        var quantity = BinaryPrimitives.ReadUInt16BigEndian(pdu[3..]);
        if (quantity is < 1 or > ModbusPdu.MaxReadBits)
        {
            return ModbusRequest.Refused(FixedLength, function, ModbusExceptionCode.IllegalDataValue,
                $"expected a quantity of 1..{ModbusPdu.MaxReadBits} bits, found {quantity}", 3);
        }

        return ModbusRequest.Valid(FixedLength, function, address, quantity);
    }

    private static ModbusRequest DecodeWriteSingleCoil(ReadOnlySpan<byte> pdu, Span<ushort> values)
    {
        const ModbusFunctionCode Function = ModbusFunctionCode.WriteSingleCoil;

        // §6.5: [0] function 0x05  [1..2] output address  [3..4] 0xFF00 (on) or 0x0000 (off); any other value is exception 03
        if (pdu.Length < FixedLength)
            return ModbusRequest.NeedMoreData(FixedLength, Function);
        var value = BinaryPrimitives.ReadUInt16BigEndian(pdu[3..]);
        if (value is not (CoilOn or 0))
        {
            return ModbusRequest.Refused(FixedLength, Function, ModbusExceptionCode.IllegalDataValue,
                $"expected an output value of 0xFF00 (on) or 0x0000 (off), found 0x{value:X4}", 3);
        }

        values[0] = value;
        return ModbusRequest.Valid(FixedLength, Function, BinaryPrimitives.ReadUInt16BigEndian(pdu[1..]), 1);
    }

    private static ModbusRequest DecodeWriteMultipleCoils(ReadOnlySpan<byte> pdu)
    {
        const ModbusFunctionCode Function = ModbusFunctionCode.WriteMultipleCoils;

        // §6.11: [0] function 0x0F  [1..2] starting address  [3..4] quantity of outputs  [5] byte count  [6..] outputs
        if (pdu.Length < 6)
            return ModbusRequest.NeedMoreData(6, Function);
        int byteCount = pdu[5];
        int length = 6 + byteCount;
        if (pdu.Length < length)
            return ModbusRequest.NeedMoreData(length, Function);

        var address = BinaryPrimitives.ReadUInt16BigEndian(pdu[1..]);
        var quantity = BinaryPrimitives.ReadUInt16BigEndian(pdu[3..]);
        if (quantity is < 1 or > ModbusPdu.MaxWriteBits)
        {
            return ModbusRequest.Refused(length, Function, ModbusExceptionCode.IllegalDataValue,
                $"expected a quantity of 1..{ModbusPdu.MaxWriteBits} coils, found {quantity}", 3);
        }

        if (byteCount != ModbusBits.ByteCount(quantity))
        {
            return ModbusRequest.Refused(length, Function, ModbusExceptionCode.IllegalDataValue,
                $"expected a byte count of {ModbusBits.ByteCount(quantity)} for {quantity} coils, found {byteCount}", 5);
        }

        return ModbusRequest.ValidCoilWrite(length, address, quantity, 6);
    }

    private static ModbusRequest DecodeReadWrite(ReadOnlySpan<byte> pdu, Span<ushort> values)
    {
        const ModbusFunctionCode Function = ModbusFunctionCode.ReadWriteMultipleRegisters;

        // §6.17: [0] function 0x17  [1..2] read address  [3..4] quantity to read  [5..6] write address
        //        [7..8] quantity to write  [9] write byte count  [10..] registers to write
        if (pdu.Length < 10)
            return ModbusRequest.NeedMoreData(10, Function);
        int byteCount = pdu[9];
        int length = 10 + byteCount;
        if (pdu.Length < length)
            return ModbusRequest.NeedMoreData(length, Function);

        var readQuantity = BinaryPrimitives.ReadUInt16BigEndian(pdu[3..]);
        if (readQuantity is < 1 or > ModbusPdu.MaxReadWriteReadRegisters)
        {
            return ModbusRequest.Refused(length, Function, ModbusExceptionCode.IllegalDataValue,
                $"expected a quantity to read of 1..{ModbusPdu.MaxReadWriteReadRegisters} registers, found {readQuantity}", 3);
        }

        var writeQuantity = BinaryPrimitives.ReadUInt16BigEndian(pdu[7..]);
        if (writeQuantity is < 1 or > ModbusPdu.MaxReadWriteWriteRegisters)
        {
            return ModbusRequest.Refused(length, Function, ModbusExceptionCode.IllegalDataValue,
                $"expected a quantity to write of 1..{ModbusPdu.MaxReadWriteWriteRegisters} registers, found {writeQuantity}", 7);
        }

        if (byteCount != 2 * writeQuantity)
        {
            return ModbusRequest.Refused(length, Function, ModbusExceptionCode.IllegalDataValue,
                $"expected a write byte count of {2 * writeQuantity} for {writeQuantity} registers, found {byteCount}", 9);
        }

        for (int i = 0; i < writeQuantity; i++)
            values[i] = BinaryPrimitives.ReadUInt16BigEndian(pdu[(10 + (2 * i))..]);
        return ModbusRequest.ValidReadWrite(length,
            readAddress: BinaryPrimitives.ReadUInt16BigEndian(pdu[1..]), readQuantity,
            writeAddress: BinaryPrimitives.ReadUInt16BigEndian(pdu[5..]), writeQuantity);
    }

    private static ModbusRequest DecodeReadDeviceIdentification(ReadOnlySpan<byte> pdu)
    {
        const ModbusFunctionCode Function = ModbusFunctionCode.EncapsulatedInterfaceTransport;

        // §6.21: [0] function 0x2B  [1] MEI type 0x0E  [2] read device id code  [3] object id
        // Another MEI type (0x0D, CANopen general reference) is a function this stack does not implement: exception 01.
        if (pdu.Length >= 2 && pdu[1] != ModbusPdu.MeiReadDeviceIdentification)
        {
            return ModbusRequest.Refused(pdu.Length, Function, ModbusExceptionCode.IllegalFunction,
                $"expected MEI type 0x0E (read device identification), found 0x{pdu[1]:X2}", 1);
        }

        if (pdu.Length < ReadDeviceIdentificationLength)
            return ModbusRequest.NeedMoreData(ReadDeviceIdentificationLength, Function);
        var code = pdu[2];
        if (code is < (byte)ModbusReadDeviceIdCode.Basic or > (byte)ModbusReadDeviceIdCode.Specific)
        {
            return ModbusRequest.Refused(ReadDeviceIdentificationLength, Function, ModbusExceptionCode.IllegalDataValue,
                $"expected a read device id code of 1..4, found {code}", 2);
        }

        return ModbusRequest.ValidDeviceIdentification(ReadDeviceIdentificationLength, (ModbusReadDeviceIdCode)code, pdu[3]);
    }

    private static ModbusRequest DecodeRead(ReadOnlySpan<byte> pdu, ModbusFunctionCode function)
    {
        // §6.3 / §6.4: [0] function  [1..2] starting address  [3..4] quantity of registers
        if (pdu.Length < FixedLength)
            return ModbusRequest.NeedMoreData(FixedLength, function);
        var address = BinaryPrimitives.ReadUInt16BigEndian(pdu[1..]);
        var quantity = BinaryPrimitives.ReadUInt16BigEndian(pdu[3..]);
        if (quantity is < 1 or > ModbusPdu.MaxReadRegisters)
        {
            return ModbusRequest.Refused(FixedLength, function, ModbusExceptionCode.IllegalDataValue,
                $"expected a quantity of 1..{ModbusPdu.MaxReadRegisters} registers, found {quantity}", 3);
        }

        return ModbusRequest.Valid(FixedLength, function, address, quantity);
    }

    private static ModbusRequest DecodeWriteSingle(ReadOnlySpan<byte> pdu, Span<ushort> values)
    {
        // §6.6: [0] function 0x06  [1..2] register address  [3..4] register value (any 16-bit value is valid)
        if (pdu.Length < FixedLength)
            return ModbusRequest.NeedMoreData(FixedLength, ModbusFunctionCode.WriteSingleRegister);
        values[0] = BinaryPrimitives.ReadUInt16BigEndian(pdu[3..]);
        return ModbusRequest.Valid(FixedLength, ModbusFunctionCode.WriteSingleRegister, BinaryPrimitives.ReadUInt16BigEndian(pdu[1..]), 1);
    }

    private static ModbusRequest DecodeWriteMultiple(ReadOnlySpan<byte> pdu, Span<ushort> values)
    {
        const ModbusFunctionCode Function = ModbusFunctionCode.WriteMultipleRegisters;

        // §6.12: [0] function 0x10  [1..2] starting address  [3..4] quantity  [5] byte count  [6..] values
        if (pdu.Length < 6)
            return ModbusRequest.NeedMoreData(6, Function);
        int byteCount = pdu[5];
        int length = 6 + byteCount;
        if (pdu.Length < length)
            return ModbusRequest.NeedMoreData(length, Function);

        var address = BinaryPrimitives.ReadUInt16BigEndian(pdu[1..]);
        var quantity = BinaryPrimitives.ReadUInt16BigEndian(pdu[3..]);
        if (quantity is < 1 or > ModbusPdu.MaxWriteRegisters)
        {
            return ModbusRequest.Refused(length, Function, ModbusExceptionCode.IllegalDataValue,
                $"expected a quantity of 1..{ModbusPdu.MaxWriteRegisters} registers, found {quantity}", 3);
        }

        if (byteCount != 2 * quantity)
        {
            return ModbusRequest.Refused(length, Function, ModbusExceptionCode.IllegalDataValue,
                $"expected a byte count of {2 * quantity} for {quantity} registers, found {byteCount}", 5);
        }

        for (int i = 0; i < quantity; i++)
            values[i] = BinaryPrimitives.ReadUInt16BigEndian(pdu[(6 + (2 * i))..]);
        return ModbusRequest.Valid(length, Function, address, quantity);
    }

    private static void EnsureRoom(Span<byte> destination, int length)
    {
        if (destination.Length < length)
            throw new ArgumentException($"The PDU needs {length} bytes; the buffer has {destination.Length}.", nameof(destination));
    }
}
