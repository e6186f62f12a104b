using CivicEdge.Protocols.Modbus;
using Microsoft.Extensions.Logging;

namespace CivicEdge.Modbus;

/// <summary>
/// Executes one request PDU against a unit's <see cref="RegisterBank"/> and encodes the response PDU: the part of a
/// slave that every transport (TCP, RTU, RTU over TCP) shares. One per connection or bus: it owns scratch buffers.
/// </summary>
/// <remarks>
/// Checks in the order of the state diagrams of Modbus Application Protocol V1.1b3 §6: function code (0x01), then
/// quantity and byte count (0x03), then the address range and the bank's guards (0x02 or what the guard answers);
/// a bank or guard that throws is a server device failure (0x04).
/// </remarks>
internal sealed partial class ModbusRequestExecutor
{
    private readonly ILogger _logger;
    private readonly string _source;

    // Holds the values of a write request and the registers of a read answer in turn.
    private readonly ushort[] _registers = new ushort[ModbusPdu.MaxReadRegisters];

    // Holds the coils of a write request and the bits of a read answer in turn.
    private readonly bool[] _bits = new bool[ModbusPdu.MaxReadBits];

    public ModbusRequestExecutor(ILogger logger, string source)
    {
        _logger = logger;
        _source = source;
    }

    /// <summary>Answers <paramref name="pdu"/> for <paramref name="unitId"/>; returns the length of the response PDU.</summary>
    public int Answer(RegisterBank bank, byte unitId, ReadOnlySpan<byte> pdu, Span<byte> response)
    {
        if (pdu.IsEmpty)
            return Refuse(response, default, ModbusExceptionCode.IllegalFunction, unitId, "expected a function code, found an empty PDU");
        var function = (ModbusFunctionCode)pdu[0];
        try
        {
            var request = ModbusRequestPdu.Decode(pdu, _registers);
            if (request.Status == ModbusDecodeStatus.NeedMoreData || request.Length != pdu.Length)
            {
                return Refuse(response, function, ModbusExceptionCode.IllegalDataValue, unitId,
                    $"expected a PDU of {request.Length} bytes for function {(byte)function}, found {pdu.Length}");
            }

            if (request.Rejection != ModbusExceptionCode.None)
                return Refuse(response, function, request.Rejection, unitId, $"offset {request.Offset}: {request.Reason}");
            return Execute(bank, request, pdu, response, unitId);
        }
        catch (Exception e)
        {
            // A bank or guard that throws is a server device failure (§7, exception 0x04), not a reason to drop the client.
            LogBankFailed(_logger, e, _source, unitId, (byte)function);
            return ModbusResponsePdu.EncodeException(response, function, ModbusExceptionCode.ServerDeviceFailure);
        }
    }

    /// <summary>Encodes an exception response and logs why.</summary>
    public int Refuse(Span<byte> response, ModbusFunctionCode function, ModbusExceptionCode code, byte unitId, string reason)
    {
        LogRefused(_logger, _source, unitId, (byte)function, code, reason);
        return ModbusResponsePdu.EncodeException(response, function, code);
    }

    private int Execute(RegisterBank bank, in ModbusRequest request, ReadOnlySpan<byte> pdu, Span<byte> response, byte unitId)
    {
        int length;
        var verdict = request.Function switch
        {
            ModbusFunctionCode.ReadCoils => ReadBits(bank, RegisterTable.Coils, request, response, out length),
            ModbusFunctionCode.ReadDiscreteInputs => ReadBits(bank, RegisterTable.DiscreteInputs, request, response, out length),
            ModbusFunctionCode.ReadHoldingRegisters => ReadRegisters(bank, RegisterTable.HoldingRegisters, request, response, out length),
            ModbusFunctionCode.ReadInputRegisters => ReadRegisters(bank, RegisterTable.InputRegisters, request, response, out length),
            ModbusFunctionCode.WriteSingleCoil => WriteSingleCoil(bank, request, response, out length),
            ModbusFunctionCode.WriteSingleRegister => WriteSingleRegister(bank, request, response, out length),
            ModbusFunctionCode.WriteMultipleCoils => WriteMultipleCoils(bank, request, pdu, response, out length),
            ModbusFunctionCode.WriteMultipleRegisters => WriteMultipleRegisters(bank, request, response, out length),
            ModbusFunctionCode.ReadWriteMultipleRegisters => ReadWriteMultipleRegisters(bank, request, response, out length),
            ModbusFunctionCode.EncapsulatedInterfaceTransport => ReadDeviceIdentification(bank, request, response, out length),
            _ => Unsupported(out length),
        };
        return verdict == ModbusExceptionCode.None
            ? length
            : Refuse(response, request.Function, verdict, unitId, $"{request}");
    }

    private ModbusExceptionCode ReadBits(RegisterBank bank, RegisterTable table, in ModbusRequest request, Span<byte> response, out int length)
    {
        // §6.1 / §6.2: the address range first (02), then the bits packed eight to a byte.
        length = 0;
        var verdict = bank.CheckRead(table, request.Address, request.Quantity);
        if (verdict != ModbusExceptionCode.None)
            return verdict;
        var bits = _bits.AsSpan(0, request.Quantity);
        bank.ReadBits(table, request.Address, bits);
        length = ModbusResponsePdu.EncodeReadBits(response, request.Function, bits);
        return ModbusExceptionCode.None;
    }

    private ModbusExceptionCode ReadRegisters(RegisterBank bank, RegisterTable table, in ModbusRequest request, Span<byte> response, out int length)
    {
        length = 0;
        var verdict = bank.CheckRead(table, request.Address, request.Quantity);
        if (verdict != ModbusExceptionCode.None)
            return verdict;
        var registers = _registers.AsSpan(0, request.Quantity);
        bank.Read(table, request.Address, registers);
        length = ModbusResponsePdu.EncodeReadRegisters(response, request.Function, registers);
        return ModbusExceptionCode.None;
    }

    private ModbusExceptionCode WriteSingleCoil(RegisterBank bank, in ModbusRequest request, Span<byte> response, out int length)
    {
        // §6.5: the decoder left 0xFF00 (on) or 0x0000 (off) in the values; anything else it refused with 03.
        length = 0;
        bool on = _registers[0] == ModbusRequestPdu.CoilOn;
        _bits[0] = on;
        var verdict = bank.WriteBitsFromMaster(request.Address, _bits.AsSpan(0, 1));
        if (verdict == ModbusExceptionCode.None)
            length = ModbusResponsePdu.EncodeWriteSingleCoil(response, request.Address, on);
        return verdict;
    }

    private ModbusExceptionCode WriteSingleRegister(RegisterBank bank, in ModbusRequest request, Span<byte> response, out int length)
    {
        length = 0;
        var verdict = bank.WriteFromMaster(request.Address, _registers.AsSpan(0, 1));
        if (verdict == ModbusExceptionCode.None)
            length = ModbusResponsePdu.EncodeWriteSingleRegister(response, request.Address, _registers[0]);
        return verdict;
    }

    private ModbusExceptionCode WriteMultipleCoils(RegisterBank bank, in ModbusRequest request, ReadOnlySpan<byte> pdu, Span<byte> response, out int length)
    {
        // §6.11: the coils arrive packed eight to a byte, the first coil in the lowest bit.
        length = 0;
        var coils = _bits.AsSpan(0, request.Quantity);
        ModbusBits.Unpack(pdu[request.DataOffset..], coils);
        var verdict = bank.WriteBitsFromMaster(request.Address, coils);
        if (verdict == ModbusExceptionCode.None)
            length = ModbusResponsePdu.EncodeWriteMultipleCoils(response, request.Address, request.Quantity);
        return verdict;
    }

    private ModbusExceptionCode WriteMultipleRegisters(RegisterBank bank, in ModbusRequest request, Span<byte> response, out int length)
    {
        length = 0;
        var verdict = bank.WriteFromMaster(request.Address, _registers.AsSpan(0, request.Quantity));
        if (verdict == ModbusExceptionCode.None)
            length = ModbusResponsePdu.EncodeWriteMultipleRegisters(response, request.Address, request.Quantity);
        return verdict;
    }

    private ModbusExceptionCode ReadWriteMultipleRegisters(RegisterBank bank, in ModbusRequest request, Span<byte> response, out int length)
    {
        // §6.17: the write is performed before the read. Both ranges are checked first, so that a read the bank
        // refuses leaves the registers unwritten.
        length = 0;
        var verdict = bank.CheckRead(RegisterTable.HoldingRegisters, request.Address, request.Quantity);
        if (verdict != ModbusExceptionCode.None)
            return verdict;
        verdict = bank.WriteFromMaster(request.WriteAddress, _registers.AsSpan(0, request.WriteQuantity));
        if (verdict != ModbusExceptionCode.None)
            return verdict;
        var registers = _registers.AsSpan(0, request.Quantity);
        bank.Read(RegisterTable.HoldingRegisters, request.Address, registers);
        length = ModbusResponsePdu.EncodeReadWriteMultipleRegisters(response, registers);
        return ModbusExceptionCode.None;
    }

    private static ModbusExceptionCode ReadDeviceIdentification(RegisterBank bank, in ModbusRequest request, Span<byte> response, out int length)
    {
        length = 0;
        var identification = bank.Identification;
        if (identification.IsEmpty)
            return ModbusExceptionCode.IllegalFunction;

        ModbusDeviceObject[] objects;
        if (request.ReadDeviceIdCode == ModbusReadDeviceIdCode.Specific)
        {
            // §6.21: an individual object the device does not have is exception 02.
            var value = identification.Get(request.ObjectId);
            if (value is null)
                return ModbusExceptionCode.IllegalDataAddress;
            objects = [new ModbusDeviceObject(request.ObjectId, value)];
        }
        else
        {
            objects = identification.Stream(request.ReadDeviceIdCode, request.ObjectId);
            if (objects.Length == 0)
                return ModbusExceptionCode.IllegalDataAddress;
        }

        length = ModbusResponsePdu.EncodeReadDeviceIdentification(response, request.ReadDeviceIdCode, identification.ConformityLevel, objects, out _);
        return ModbusExceptionCode.None;
    }

    private static ModbusExceptionCode Unsupported(out int length)
    {
        length = 0;
        return ModbusExceptionCode.IllegalFunction;
    }

    [LoggerMessage(Level = LogLevel.Debug,
        Message = "Refused function {FunctionCode} for unit {UnitId} from {Client} with {ExceptionCode}: {Reason}")]
    private static partial void LogRefused(ILogger logger, string client, byte unitId, byte functionCode, ModbusExceptionCode exceptionCode, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Register bank of unit {UnitId} failed on function {FunctionCode} from {Client}")]
    private static partial void LogBankFailed(ILogger logger, Exception exception, string client, byte unitId, byte functionCode);
}
