using CivicEdge.Protocols.Modbus;

namespace CivicEdge.Modbus;

/// <summary>
/// One request a master is to send and the answer it expects: everything needed to encode the request and to check
/// the response against it. Kept apart from the connection so that several can be in flight, keyed by transaction id.
/// </summary>
internal readonly struct ModbusTransaction
{
    private ModbusTransaction(byte unitId, ModbusFunctionCode function, ushort address, Memory<ushort> destination, ReadOnlyMemory<ushort> values)
    {
        UnitId = unitId;
        Function = function;
        Address = address;
        Destination = destination;
        Values = values;
    }

    public byte UnitId { get; }

    public ModbusFunctionCode Function { get; }

    public ushort Address { get; }

    /// <summary>Where a read puts the registers.</summary>
    public Memory<ushort> Destination { get; }

    /// <summary>What a write sends.</summary>
    public ReadOnlyMemory<ushort> Values { get; }

    public int Quantity => Function is ModbusFunctionCode.ReadHoldingRegisters or ModbusFunctionCode.ReadInputRegisters
        ? Destination.Length
        : Values.Length;

    public static ModbusTransaction Read(byte unitId, ModbusFunctionCode function, ushort address, Memory<ushort> destination) =>
        new(unitId, function, address, destination, ReadOnlyMemory<ushort>.Empty);

    /// <summary>A write uses function code 6 for one register, as most devices expect, and 16 for several.</summary>
    public static ModbusTransaction Write(byte unitId, ushort address, ReadOnlyMemory<ushort> values) =>
        new(unitId,
            values.Length == 1 ? ModbusFunctionCode.WriteSingleRegister : ModbusFunctionCode.WriteMultipleRegisters,
            address, Memory<ushort>.Empty, values);

    public int EncodeRequest(Span<byte> pdu) => Function switch
    {
        ModbusFunctionCode.WriteSingleRegister => ModbusRequestPdu.EncodeWriteSingleRegister(pdu, Address, Values.Span[0]),
        ModbusFunctionCode.WriteMultipleRegisters => ModbusRequestPdu.EncodeWriteMultipleRegisters(pdu, Address, Values.Span),
        _ => ModbusRequestPdu.EncodeReadRegisters(pdu, Function, Address, Destination.Length),
    };

    public ModbusResponse DecodeResponse(ReadOnlySpan<byte> pdu) => Function switch
    {
        ModbusFunctionCode.WriteSingleRegister => ModbusResponsePdu.DecodeWriteSingleRegister(pdu, Address, Values.Span[0]),
        ModbusFunctionCode.WriteMultipleRegisters => ModbusResponsePdu.DecodeWriteMultipleRegisters(pdu, Address, Values.Length),
        _ => ModbusResponsePdu.DecodeReadRegisters(pdu, Function, Destination.Span),
    };

    public override string ToString() => $"{Function} unit {UnitId} address {Address} quantity {Quantity}";
}
