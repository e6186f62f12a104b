using System.Buffers.Binary;

namespace CivicEdge.Protocols.Modbus;

/// <summary>
/// Response PDUs of the register function codes: encoded by a server, decoded by a master against the request it sent
/// (Modbus Application Protocol V1.1b3 §6.3, §6.4, §6.6, §6.12, exception responses §7). All fields are big-endian (§4.2).
/// Decoding accepts a prefix of a PDU and says how many bytes it needs, so that a serial framer can use it to find
/// where a frame ends.
/// </summary>
public static class ModbusResponsePdu
{
    /// <summary>Function code with the exception flag, and the exception code (§7).</summary>
    public const int ExceptionLength = 2;

    /// <summary>Encodes the registers read by function code 3 or 4.</summary>
    /// <returns>The number of bytes written.</returns>
    public static int EncodeReadRegisters(Span<byte> destination, ModbusFunctionCode function, ReadOnlySpan<ushort> registers)
    {
        if (function is not (ModbusFunctionCode.ReadHoldingRegisters or ModbusFunctionCode.ReadInputRegisters))
            throw new ArgumentOutOfRangeException(nameof(function), function, "Only function codes 3 and 4 read registers.");
        if (registers.Length is < 1 or > ModbusPdu.MaxReadRegisters)
            throw new ArgumentOutOfRangeException(nameof(registers), registers.Length, $"A read answers 1..{ModbusPdu.MaxReadRegisters} registers.");
        int length = 2 + (2 * registers.Length);
        EnsureRoom(destination, length);

        // §6.3 / §6.4: [0] function  [1] byte count = 2 x N  [2..] N register values, two bytes each
        destination[0] = (byte)function;
        destination[1] = (byte)(2 * registers.Length);
        for (int i = 0; i < registers.Length; i++)
            BinaryPrimitives.WriteUInt16BigEndian(destination[(2 + (2 * i))..], registers[i]);
        return length;
    }

    /// <summary>Encodes the answer to function code 6, which echoes the request (§6.6).</summary>
    public static int EncodeWriteSingleRegister(Span<byte> destination, ushort address, ushort value) =>
        ModbusRequestPdu.EncodeWriteSingleRegister(destination, address, value);

    /// <summary>Encodes the answer to function code 16: the starting address and quantity written.</summary>
    public static int EncodeWriteMultipleRegisters(Span<byte> destination, ushort address, int quantity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(quantity, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(quantity, ModbusPdu.MaxWriteRegisters);
        EnsureRoom(destination, 5);

        // §6.12: [0] function 0x10  [1..2] starting address  [3..4] quantity of registers
        destination[0] = (byte)ModbusFunctionCode.WriteMultipleRegisters;
        BinaryPrimitives.WriteUInt16BigEndian(destination[1..], address);
        BinaryPrimitives.WriteUInt16BigEndian(destination[3..], (ushort)quantity);
        return 5;
    }

    /// <summary>
    /// Encodes an exception response. Any function code is accepted, including ones this stack does not speak,
    /// because the answer to an unknown function is exactly such a response.
    /// </summary>
    public static int EncodeException(Span<byte> destination, ModbusFunctionCode function, ModbusExceptionCode exceptionCode)
    {
        if (exceptionCode == ModbusExceptionCode.None)
            throw new ArgumentOutOfRangeException(nameof(exceptionCode), exceptionCode, "An exception response needs an exception code.");
        EnsureRoom(destination, ExceptionLength);

        // §7: [0] function code | 0x80  [1] exception code
        destination[0] = (byte)((byte)function | ModbusPdu.ExceptionFlag);
        destination[1] = (byte)exceptionCode;
        return ExceptionLength;
    }

    /// <summary>
    /// Decodes the answer to a read of <c>destination.Length</c> registers with <paramref name="function"/> 3 or 4
    /// and writes the registers into <paramref name="destination"/>.
    /// </summary>
    public static ModbusResponse DecodeReadRegisters(ReadOnlySpan<byte> pdu, ModbusFunctionCode function, Span<ushort> destination)
    {
        if (destination.Length is < 1 or > ModbusPdu.MaxReadRegisters)
            throw new ArgumentOutOfRangeException(nameof(destination), destination.Length, $"A read asks for 1..{ModbusPdu.MaxReadRegisters} registers.");
        if (!TryDecodeHead(pdu, function, out var head))
            return head;

        // §6.3 / §6.4: [0] function  [1] byte count = 2 x N  [2..] N register values, two bytes each
        if (pdu.Length < 2)
            return ModbusResponse.NeedMoreData(2);
        int byteCount = pdu[1];
        if (byteCount != 2 * destination.Length)
            return ModbusResponse.Malformed($"expected a byte count of {2 * destination.Length} for {destination.Length} registers, found {byteCount}", 1);
        int length = 2 + byteCount;
        if (pdu.Length < length)
            return ModbusResponse.NeedMoreData(length);

        for (int i = 0; i < destination.Length; i++)
            destination[i] = BinaryPrimitives.ReadUInt16BigEndian(pdu[(2 + (2 * i))..]);
        return ModbusResponse.Complete(length);
    }

    /// <summary>Decodes the answer to a function code 6 write, which must echo the address and value sent (§6.6).</summary>
    public static ModbusResponse DecodeWriteSingleRegister(ReadOnlySpan<byte> pdu, ushort address, ushort value)
    {
        if (!TryDecodeHead(pdu, ModbusFunctionCode.WriteSingleRegister, out var head))
            return head;

        // §6.6: [0] function 0x06  [1..2] register address  [3..4] register value
        return DecodeEcho(pdu, address, "register address", value, "register value");
    }

    /// <summary>Decodes the answer to a function code 16 write, which must repeat the address and quantity sent (§6.12).</summary>
    public static ModbusResponse DecodeWriteMultipleRegisters(ReadOnlySpan<byte> pdu, ushort address, int quantity)
    {
        if (!TryDecodeHead(pdu, ModbusFunctionCode.WriteMultipleRegisters, out var head))
            return head;

        // §6.12: [0] function 0x10  [1..2] starting address  [3..4] quantity of registers
        return DecodeEcho(pdu, address, "starting address", (ushort)quantity, "quantity of registers");
    }

    /// <summary>
    /// Reads the function code: the one asked for goes on to the body; the same with the exception flag is a complete
    /// exception response (or needs its second byte); anything else is malformed.
    /// </summary>
    private static bool TryDecodeHead(ReadOnlySpan<byte> pdu, ModbusFunctionCode function, out ModbusResponse result)
    {
        result = default;
        if (pdu.IsEmpty)
        {
            result = ModbusResponse.NeedMoreData(1);
            return false;
        }

        if (pdu[0] == (byte)function)
            return true;

        var exceptionFunction = (byte)((byte)function | ModbusPdu.ExceptionFlag);
        if (pdu[0] != exceptionFunction)
        {
            result = ModbusResponse.Malformed(
                $"expected function code 0x{(byte)function:X2} or its exception 0x{exceptionFunction:X2}, found 0x{pdu[0]:X2}", 0);
            return false;
        }

        // §7: [0] function code | 0x80  [1] exception code
        if (pdu.Length < ExceptionLength)
            result = ModbusResponse.NeedMoreData(ExceptionLength);
        else if (pdu[1] == 0)
            result = ModbusResponse.Malformed("expected a non-zero exception code, found 0", 1);
        else
            result = ModbusResponse.Exception((ModbusExceptionCode)pdu[1]);
        return false;
    }

    private static ModbusResponse DecodeEcho(ReadOnlySpan<byte> pdu, ushort first, string firstName, ushort second, string secondName)
    {
        const int Length = 5;
        if (pdu.Length < Length)
            return ModbusResponse.NeedMoreData(Length);
        var foundFirst = BinaryPrimitives.ReadUInt16BigEndian(pdu[1..]);
        if (foundFirst != first)
            return ModbusResponse.Malformed($"expected {firstName} {first} (0x{first:X4}) as sent, found {foundFirst} (0x{foundFirst:X4})", 1);
        var foundSecond = BinaryPrimitives.ReadUInt16BigEndian(pdu[3..]);
        if (foundSecond != second)
            return ModbusResponse.Malformed($"expected {secondName} {second} (0x{second:X4}) as sent, found {foundSecond} (0x{foundSecond:X4})", 3);
        return ModbusResponse.Complete(Length);
    }

    private static void EnsureRoom(Span<byte> destination, int length)
    {
        if (destination.Length < length)
            throw new ArgumentException($"The PDU needs {length} bytes; the buffer has {destination.Length}.", nameof(destination));
    }
}
