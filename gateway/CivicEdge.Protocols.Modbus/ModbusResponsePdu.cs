using System.Buffers.Binary;
using System.Text;

namespace CivicEdge.Protocols.Modbus;

/// <summary>
/// Response PDUs: encoded by a server, decoded by a master against the request it sent (Modbus Application Protocol
/// V1.1b3 §6.1–§6.6, §6.11, §6.12, §6.17, §6.21, exception responses §7). All fields are big-endian (§4.2).
/// Decoding accepts a prefix of a PDU and says how many bytes it needs, so that a serial framer can use it to find
/// where a frame ends.
/// </summary>
public static class ModbusResponsePdu
{
    /// <summary>Function code with the exception flag, and the exception code (§7).</summary>
    public const int ExceptionLength = 2;

    /// <summary>Most objects one read device identification response can carry: empty values, two bytes each, after its 7-byte head.</summary>
    public const int MaxDeviceObjects = (ModbusPdu.MaxLength - 7) / 2;

    /// <summary>Encodes the registers read by function code 3, 4 or 23, whose answers share one layout.</summary>
    /// <returns>The number of bytes written.</returns>
    public static int EncodeReadRegisters(Span<byte> destination, ModbusFunctionCode function, ReadOnlySpan<ushort> registers)
    {
        CheckRegisterRead(function);
        if (registers.Length is < 1 or > ModbusPdu.MaxReadRegisters)
            throw new ArgumentOutOfRangeException(nameof(registers), registers.Length, $"A read answers 1..{ModbusPdu.MaxReadRegisters} registers.");
        int length = 2 + (2 * registers.Length);
        EnsureRoom(destination, length);

        // §6.3 / §6.4 / §6.17: [0] function  [1] byte count = 2 x N  [2..] N register values, two bytes each
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

    /// <summary>Encodes the 1..2000 coils or discrete inputs read by function code 1 or 2.</summary>
    public static int EncodeReadBits(Span<byte> destination, ModbusFunctionCode function, ReadOnlySpan<bool> bits)
    {
        CheckBitRead(function);
        if (bits.Length is < 1 or > ModbusPdu.MaxReadBits)
            throw new ArgumentOutOfRangeException(nameof(bits), bits.Length, $"A read answers 1..{ModbusPdu.MaxReadBits} bits.");
        int byteCount = ModbusBits.ByteCount(bits.Length);
        EnsureRoom(destination, 2 + byteCount);

        // §6.1 / §6.2: [0] function  [1] byte count = ceil(N / 8)  [2..] bits packed, first in the lowest bit, padding zero
        destination[0] = (byte)function;
        destination[1] = (byte)byteCount;
        return 2 + ModbusBits.Pack(bits, destination[2..]);
    }

    /// <summary>Encodes the answer to function code 5, which echoes the request (§6.5).</summary>
    public static int EncodeWriteSingleCoil(Span<byte> destination, ushort address, bool on) =>
        ModbusRequestPdu.EncodeWriteSingleCoil(destination, address, on);

    /// <summary>Encodes the answer to function code 15: the starting address and quantity of coils forced (§6.11).</summary>
    public static int EncodeWriteMultipleCoils(Span<byte> destination, ushort address, int quantity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(quantity, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(quantity, ModbusPdu.MaxWriteBits);
        EnsureRoom(destination, 5);

        // §6.11: [0] function 0x0F  [1..2] starting address  [3..4] quantity of outputs
        destination[0] = (byte)ModbusFunctionCode.WriteMultipleCoils;
        BinaryPrimitives.WriteUInt16BigEndian(destination[1..], address);
        BinaryPrimitives.WriteUInt16BigEndian(destination[3..], (ushort)quantity);
        return 5;
    }

    /// <summary>Encodes the registers read by function code 23 (§6.17).</summary>
    public static int EncodeReadWriteMultipleRegisters(Span<byte> destination, ReadOnlySpan<ushort> registers) =>
        EncodeReadRegisters(destination, ModbusFunctionCode.ReadWriteMultipleRegisters, registers);

    /// <summary>
    /// Encodes a read device identification response (function code 43, MEI type 14) with as many of
    /// <paramref name="objects"/> as fit in one PDU. When some do not fit, "more follows" is set and the next object id
    /// names the first left out, so that the master asks again from there (§6.21).
    /// </summary>
    /// <param name="destination">Room for the response; up to <see cref="ModbusPdu.MaxLength"/> bytes are used.</param>
    /// <param name="code">The read device id code of the request.</param>
    /// <param name="conformityLevel">The identification level the device supports (0x01..0x03, 0x81..0x83).</param>
    /// <param name="objects">The objects to send, from the one asked for, in id order; values are ASCII.</param>
    /// <param name="objectsWritten">How many of <paramref name="objects"/> went into this response.</param>
    public static int EncodeReadDeviceIdentification(
        Span<byte> destination, ModbusReadDeviceIdCode code, byte conformityLevel, ReadOnlySpan<ModbusDeviceObject> objects, out int objectsWritten)
    {
        if (code is < ModbusReadDeviceIdCode.Basic or > ModbusReadDeviceIdCode.Specific)
            throw new ArgumentOutOfRangeException(nameof(code), code, "A read device id code is 1..4.");
        if (objects.IsEmpty)
            throw new ArgumentException("A read device identification response carries at least one object.", nameof(objects));
        int room = Math.Min(destination.Length, ModbusPdu.MaxLength);

        // §6.21: [0] function 0x2B  [1] MEI type 0x0E  [2] read device id code  [3] conformity level
        //        [4] more follows (0x00 / 0xFF)  [5] next object id  [6] number of objects
        //        [7..] per object: [id] [length] [value]
        const int ObjectsOffset = 7;
        int position = ObjectsOffset;
        objectsWritten = 0;
        foreach (var deviceObject in objects)
        {
            int valueLength = deviceObject.Value.Length;
            if (valueLength > byte.MaxValue || ObjectsOffset + 2 + valueLength > ModbusPdu.MaxLength)
                throw new ArgumentException($"Object 0x{deviceObject.Id:X2} has {valueLength} characters; one response carries at most {ModbusPdu.MaxLength - ObjectsOffset - 2}.", nameof(objects));
            if (position + 2 + valueLength > room)
                break;
            destination[position] = deviceObject.Id;
            destination[position + 1] = (byte)valueLength;
            Encoding.ASCII.GetBytes(deviceObject.Value, destination.Slice(position + 2, valueLength));
            position += 2 + valueLength;
            objectsWritten++;
        }

        if (objectsWritten == 0)
            throw new ArgumentException($"The buffer of {destination.Length} bytes holds no object; the first needs {ObjectsOffset + 2 + objects[0].Value.Length}.", nameof(destination));

        bool moreFollows = objectsWritten < objects.Length;
        destination[0] = (byte)ModbusFunctionCode.EncapsulatedInterfaceTransport;
        destination[1] = ModbusPdu.MeiReadDeviceIdentification;
        destination[2] = (byte)code;
        destination[3] = conformityLevel;
        destination[4] = moreFollows ? (byte)0xFF : (byte)0x00;
        destination[5] = moreFollows ? objects[objectsWritten].Id : (byte)0;
        destination[6] = (byte)objectsWritten;
        return position;
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
    /// Decodes the answer to a read of <c>destination.Length</c> registers with <paramref name="function"/> 3, 4 or 23
    /// and writes the registers into <paramref name="destination"/>.
    /// </summary>
    public static ModbusResponse DecodeReadRegisters(ReadOnlySpan<byte> pdu, ModbusFunctionCode function, Span<ushort> destination)
    {
        CheckRegisterRead(function);
        if (destination.Length is < 1 or > ModbusPdu.MaxReadRegisters)
            throw new ArgumentOutOfRangeException(nameof(destination), destination.Length, $"A read asks for 1..{ModbusPdu.MaxReadRegisters} registers.");
        if (!TryDecodeHead(pdu, function, out var head))
            return head;

        // §6.3 / §6.4 / §6.17: [0] function  [1] byte count = 2 x N  [2..] N register values, two bytes each
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
    /// Decodes the answer to a read of <c>destination.Length</c> coils or discrete inputs with <paramref name="function"/>
    /// 1 or 2 and writes the bits into <paramref name="destination"/>.
    /// </summary>
    public static ModbusResponse DecodeReadBits(ReadOnlySpan<byte> pdu, ModbusFunctionCode function, Span<bool> destination)
    {
        CheckBitRead(function);
        if (destination.Length is < 1 or > ModbusPdu.MaxReadBits)
            throw new ArgumentOutOfRangeException(nameof(destination), destination.Length, $"A read asks for 1..{ModbusPdu.MaxReadBits} bits.");
        if (!TryDecodeHead(pdu, function, out var head))
            return head;

        // §6.1 / §6.2: [0] function  [1] byte count = ceil(N / 8)  [2..] bits, packed
        if (pdu.Length < 2)
            return ModbusResponse.NeedMoreData(2);
        int byteCount = pdu[1];
        int expected = ModbusBits.ByteCount(destination.Length);
        if (byteCount != expected)
            return ModbusResponse.Malformed($"expected a byte count of {expected} for {destination.Length} bits, found {byteCount}", 1);
        int length = 2 + byteCount;
        if (pdu.Length < length)
            return ModbusResponse.NeedMoreData(length);

        ModbusBits.Unpack(pdu[2..length], destination);
        return ModbusResponse.Complete(length);
    }

    /// <summary>Decodes the answer to a function code 5 write, which must echo the address and value sent (§6.5).</summary>
    public static ModbusResponse DecodeWriteSingleCoil(ReadOnlySpan<byte> pdu, ushort address, bool on)
    {
        if (!TryDecodeHead(pdu, ModbusFunctionCode.WriteSingleCoil, out var head))
            return head;

        // §6.5: [0] function 0x05  [1..2] output address  [3..4] output value
        return DecodeEcho(pdu, address, "output address", on ? ModbusRequestPdu.CoilOn : (ushort)0, "output value");
    }

    /// <summary>Decodes the answer to a function code 15 write, which must repeat the address and quantity sent (§6.11).</summary>
    public static ModbusResponse DecodeWriteMultipleCoils(ReadOnlySpan<byte> pdu, ushort address, int quantity)
    {
        if (!TryDecodeHead(pdu, ModbusFunctionCode.WriteMultipleCoils, out var head))
            return head;

        // §6.11: [0] function 0x0F  [1..2] starting address  [3..4] quantity of outputs
        return DecodeEcho(pdu, address, "starting address", (ushort)quantity, "quantity of outputs");
    }

    /// <summary>Decodes the answer to a function code 23 read/write of <c>destination.Length</c> registers read (§6.17).</summary>
    public static ModbusResponse DecodeReadWriteMultipleRegisters(ReadOnlySpan<byte> pdu, Span<ushort> destination) =>
        DecodeReadRegisters(pdu, ModbusFunctionCode.ReadWriteMultipleRegisters, destination);

    /// <summary>
    /// Decodes a read device identification response (function code 43, MEI type 14, §6.21). The object values stay in
    /// <paramref name="pdu"/>; <paramref name="objects"/> receives where each lies.
    /// </summary>
    /// <param name="pdu">The bytes received so far, starting at the function code.</param>
    /// <param name="code">The read device id code that was sent; the response must echo it.</param>
    /// <param name="objects">Room for the objects: at least <see cref="MaxDeviceObjects"/>.</param>
    /// <param name="identification">The fixed fields of a complete response.</param>
    public static ModbusResponse DecodeReadDeviceIdentification(
        ReadOnlySpan<byte> pdu, ModbusReadDeviceIdCode code, Span<ModbusDeviceObjectLocation> objects, out ModbusDeviceIdentification identification)
    {
        if (objects.Length < MaxDeviceObjects)
            throw new ArgumentException($"The objects buffer must hold {MaxDeviceObjects} objects; it holds {objects.Length}.", nameof(objects));
        identification = default;
        if (!TryDecodeHead(pdu, ModbusFunctionCode.EncapsulatedInterfaceTransport, out var head))
            return head;

        // §6.21: [0] function 0x2B  [1] MEI type 0x0E  [2] read device id code  [3] conformity level
        //        [4] more follows (0x00 / 0xFF)  [5] next object id  [6] number of objects  [7..] [id] [length] [value] ...
        const int ObjectsOffset = 7;
        if (pdu.Length >= 2 && pdu[1] != ModbusPdu.MeiReadDeviceIdentification)
            return ModbusResponse.Malformed($"expected MEI type 0x0E (read device identification), found 0x{pdu[1]:X2}", 1);
        if (pdu.Length >= 3 && pdu[2] != (byte)code)
            return ModbusResponse.Malformed($"expected read device id code {(byte)code} as sent, found {pdu[2]}", 2);
        if (pdu.Length >= 5 && pdu[4] is not (0x00 or 0xFF))
            return ModbusResponse.Malformed($"expected more follows 0x00 or 0xFF, found 0x{pdu[4]:X2}", 4);
        if (pdu.Length < ObjectsOffset)
            return ModbusResponse.NeedMoreData(ObjectsOffset);

        int count = pdu[6];
        int position = ObjectsOffset;
        for (int i = 0; i < count; i++)
        {
            if (position + 2 > ModbusPdu.MaxLength)
                return ModbusResponse.Malformed($"expected {count} objects within {ModbusPdu.MaxLength} bytes, found object {i} starting at {position}", 6);
            if (pdu.Length < position + 2)
                return ModbusResponse.NeedMoreData(position + 2);
            int valueLength = pdu[position + 1];
            int end = position + 2 + valueLength;
            if (end > ModbusPdu.MaxLength)
                return ModbusResponse.Malformed($"expected object {i} to end within {ModbusPdu.MaxLength} bytes, found its length {valueLength} ending at {end}", position + 1);
            if (pdu.Length < end)
                return ModbusResponse.NeedMoreData(end);
            objects[i] = new ModbusDeviceObjectLocation(pdu[position], position + 2, valueLength);
            position = end;
        }

        identification = new ModbusDeviceIdentification(code, pdu[3], pdu[4] == 0xFF, pdu[5], count);
        return ModbusResponse.Complete(position);
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

    private static void CheckRegisterRead(ModbusFunctionCode function)
    {
        if (function is not (ModbusFunctionCode.ReadHoldingRegisters or ModbusFunctionCode.ReadInputRegisters or ModbusFunctionCode.ReadWriteMultipleRegisters))
            throw new ArgumentOutOfRangeException(nameof(function), function, "Only function codes 3, 4 and 23 read registers.");
    }

    private static void CheckBitRead(ModbusFunctionCode function)
    {
        if (function is not (ModbusFunctionCode.ReadCoils or ModbusFunctionCode.ReadDiscreteInputs))
            throw new ArgumentOutOfRangeException(nameof(function), function, "Only function codes 1 and 2 read bits.");
    }

    private static void EnsureRoom(Span<byte> destination, int length)
    {
        if (destination.Length < length)
            throw new ArgumentException($"The PDU needs {length} bytes; the buffer has {destination.Length}.", nameof(destination));
    }
}
