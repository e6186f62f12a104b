using System.Buffers.Binary;

namespace CivicEdge.Protocols.Modbus;

/// <summary>
/// Request PDUs of the register function codes: encoded by a master, decoded by a server
/// (Modbus Application Protocol V1.1b3 §6.3, §6.4, §6.6, §6.12). All fields are big-endian (§4.2).
/// </summary>
public static class ModbusRequestPdu
{
    /// <summary>Function code, address and quantity: the whole request of function codes 3 and 4, and of 6 with its value.</summary>
    public const int FixedLength = 5;

    /// <summary>The longest request: function code 16 carrying <see cref="ModbusPdu.MaxWriteRegisters"/> registers.</summary>
    public const int MaxLength = 6 + (2 * ModbusPdu.MaxWriteRegisters);

    /// <summary>Encodes a read of holding (function code 3) or input (function code 4) registers.</summary>
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
    /// function code (exception 01), then quantity and byte count (exception 03). The address range is the data
    /// model's to judge (exception 02). Register values of a write land in <paramref name="values"/>.
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
            ModbusFunctionCode.ReadHoldingRegisters or ModbusFunctionCode.ReadInputRegisters => DecodeRead(pdu, function),
            ModbusFunctionCode.WriteSingleRegister => DecodeWriteSingle(pdu, values),
            ModbusFunctionCode.WriteMultipleRegisters => DecodeWriteMultiple(pdu, values),
            _ => ModbusRequest.Refused(pdu.Length, function, ModbusExceptionCode.IllegalFunction,
                $"expected function code 3, 4, 6 or 16, found {pdu[0]} (0x{pdu[0]:X2})", 0),
        };
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
