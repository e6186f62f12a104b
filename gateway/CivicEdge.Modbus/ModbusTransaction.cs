using CivicEdge.Protocols.Modbus;

namespace CivicEdge.Modbus;

/// <summary>
/// One request a master is to send and the answer it expects: everything needed to encode the request PDU and to
/// check the response PDU against it. Framing (MBAP or RTU) is the master's business; this is the PDU layer both share.
/// Kept apart from the connection so that several can be in flight, keyed by transaction id.
/// </summary>
internal readonly struct ModbusTransaction
{
    private readonly Memory<ushort> _registers;
    private readonly ReadOnlyMemory<ushort> _values;
    private readonly Memory<bool> _bits;
    private readonly ReadOnlyMemory<bool> _bitValues;
    private readonly ushort _writeAddress;
    private readonly ModbusReadDeviceIdCode _readDeviceIdCode;
    private readonly byte _objectId;
    private readonly DeviceIdentificationSink? _identification;
    private readonly Memory<byte> _fileBytes;
    private readonly ReadOnlyMemory<byte> _fileData;
    private readonly ushort _file;

    private ModbusTransaction(
        byte unitId, ModbusFunctionCode function, ushort address,
        Memory<ushort> registers = default, ReadOnlyMemory<ushort> values = default,
        Memory<bool> bits = default, ReadOnlyMemory<bool> bitValues = default, ushort writeAddress = 0,
        ModbusReadDeviceIdCode readDeviceIdCode = default, byte objectId = 0, DeviceIdentificationSink? identification = null,
        Memory<byte> fileBytes = default, ReadOnlyMemory<byte> fileData = default, ushort file = 0)
    {
        UnitId = unitId;
        Function = function;
        Address = address;
        _registers = registers;
        _values = values;
        _bits = bits;
        _bitValues = bitValues;
        _writeAddress = writeAddress;
        _readDeviceIdCode = readDeviceIdCode;
        _objectId = objectId;
        _identification = identification;
        _fileBytes = fileBytes;
        _fileData = fileData;
        _file = file;
    }

    public byte UnitId { get; }

    public ModbusFunctionCode Function { get; }

    public ushort Address { get; }

    /// <summary>Whether the request only changes the slave's data, the only kind that may be broadcast.</summary>
    public bool IsWrite => Function is ModbusFunctionCode.WriteSingleCoil or ModbusFunctionCode.WriteSingleRegister
        or ModbusFunctionCode.WriteMultipleCoils or ModbusFunctionCode.WriteMultipleRegisters
        or ModbusFunctionCode.WriteFileRecord;

    /// <summary>A read of holding (function code 3) or input registers (function code 4).</summary>
    /// <exception cref="ArgumentException">Another table, or a count outside 1..125.</exception>
    public static ModbusTransaction ReadRegisters(byte unitId, RegisterTable table, ushort address, Memory<ushort> destination)
    {
        var function = table switch
        {
            RegisterTable.HoldingRegisters => ModbusFunctionCode.ReadHoldingRegisters,
            RegisterTable.InputRegisters => ModbusFunctionCode.ReadInputRegisters,
            _ => throw new ArgumentException($"Only holding and input registers are read as registers; found {table}.", nameof(table)),
        };
        CheckCount(destination.Length, ModbusPdu.MaxReadRegisters, "A read asks for", "registers", nameof(destination));
        return new(unitId, function, address, registers: destination);
    }

    /// <summary>A write uses function code 6 for one register, as most devices expect, and 16 for several.</summary>
    /// <exception cref="ArgumentException">A count outside 1..123.</exception>
    public static ModbusTransaction Write(byte unitId, ushort address, ReadOnlyMemory<ushort> values)
    {
        CheckCount(values.Length, ModbusPdu.MaxWriteRegisters, "A write carries", "registers", nameof(values));
        var function = values.Length == 1 ? ModbusFunctionCode.WriteSingleRegister : ModbusFunctionCode.WriteMultipleRegisters;
        return new(unitId, function, address, values: values);
    }

    /// <summary>A read of coils (function code 1) or discrete inputs (function code 2).</summary>
    /// <exception cref="ArgumentException">Another table, or a count outside 1..2000.</exception>
    public static ModbusTransaction ReadBits(byte unitId, RegisterTable table, ushort address, Memory<bool> destination)
    {
        var function = table switch
        {
            RegisterTable.Coils => ModbusFunctionCode.ReadCoils,
            RegisterTable.DiscreteInputs => ModbusFunctionCode.ReadDiscreteInputs,
            _ => throw new ArgumentException($"Only coils and discrete inputs are read as bits; found {table}.", nameof(table)),
        };
        CheckCount(destination.Length, ModbusPdu.MaxReadBits, "A read asks for", "bits", nameof(destination));
        return new(unitId, function, address, bits: destination);
    }

    /// <summary>A write of coils: function code 5 for one, 15 for several.</summary>
    /// <exception cref="ArgumentException">A count outside 1..1968.</exception>
    public static ModbusTransaction WriteCoils(byte unitId, ushort address, ReadOnlyMemory<bool> values)
    {
        CheckCount(values.Length, ModbusPdu.MaxWriteBits, "A write carries", "coils", nameof(values));
        var function = values.Length == 1 ? ModbusFunctionCode.WriteSingleCoil : ModbusFunctionCode.WriteMultipleCoils;
        return new(unitId, function, address, bitValues: values);
    }

    /// <summary>Function code 23: writes one block of holding registers, then reads another, in one transaction.</summary>
    /// <exception cref="ArgumentException">A read count outside 1..125 or a write count outside 1..121.</exception>
    public static ModbusTransaction ReadWriteRegisters(
        byte unitId, ushort readAddress, Memory<ushort> destination, ushort writeAddress, ReadOnlyMemory<ushort> values)
    {
        CheckCount(destination.Length, ModbusPdu.MaxReadWriteReadRegisters, "Function code 23 reads", "registers", nameof(destination));
        CheckCount(values.Length, ModbusPdu.MaxReadWriteWriteRegisters, "Function code 23 writes", "registers", nameof(values));
        return new(unitId, ModbusFunctionCode.ReadWriteMultipleRegisters, readAddress, registers: destination, values: values, writeAddress: writeAddress);
    }

    /// <summary>Function code 43 / MEI 14: one response's worth of device identification objects, into <paramref name="sink"/>.</summary>
    public static ModbusTransaction ReadDeviceIdentification(byte unitId, ModbusReadDeviceIdCode code, byte objectId, DeviceIdentificationSink sink)
    {
        if (code is < ModbusReadDeviceIdCode.Basic or > ModbusReadDeviceIdCode.Specific)
            throw new ArgumentOutOfRangeException(nameof(code), code, $"A read device id code is 1..4 (basic, regular, extended, specific); found {(byte)code}.");
        return new(unitId, ModbusFunctionCode.EncapsulatedInterfaceTransport, 0, readDeviceIdCode: code, objectId: objectId, identification: sink);
    }

    /// <summary>Function code 20: records of a file, read into <paramref name="destination"/> (an even number of bytes, 2..248).</summary>
    /// <exception cref="ArgumentException">An odd or out-of-range length, file 0, or records past 9999.</exception>
    public static ModbusTransaction ReadFileRecord(byte unitId, ushort file, ushort record, Memory<byte> destination)
    {
        CheckFileRecords(destination.Length, ModbusFileRecordPdu.MaxReadBytes, nameof(destination));
        ModbusFileRecordPdu.EncodeReadRequest(stackalloc byte[ModbusFileRecordPdu.ReadRequestLength], file, record, destination.Length / 2);
        return new(unitId, ModbusFunctionCode.ReadFileRecord, record, fileBytes: destination, file: file);
    }

    /// <summary>Function code 21: <paramref name="data"/> (an even number of bytes, 2..244) written as records of a file.</summary>
    /// <exception cref="ArgumentException">An odd or out-of-range length, file 0, or records past 9999.</exception>
    public static ModbusTransaction WriteFileRecord(byte unitId, ushort file, ushort record, ReadOnlyMemory<byte> data)
    {
        CheckFileRecords(data.Length, ModbusFileRecordPdu.MaxWriteBytes, nameof(data));
        ModbusFileRecordPdu.EncodeWriteRequest(stackalloc byte[ModbusPdu.MaxLength], file, record, data.Span);
        return new(unitId, ModbusFunctionCode.WriteFileRecord, record, fileData: data, file: file);
    }

    /// <summary>
    /// On a serial line unit 0 addresses every slave at once and none answers (Serial Line V1.02 §2.2): only writes
    /// may use it. Modbus TCP servers commonly answer unit 0 as themselves, so the TCP master does not ask this.
    /// </summary>
    /// <exception cref="ArgumentException">A request other than a write for unit 0.</exception>
    public void RefuseBroadcastUnlessWrite()
    {
        if (UnitId == 0 && !IsWrite)
            throw new ArgumentException($"Unit 0 is the broadcast address, which no slave answers: only writes may be broadcast; found {Function} for unit 0.", "unitId");
    }

    public int EncodeRequest(Span<byte> pdu) => Function switch
    {
        ModbusFunctionCode.ReadCoils or ModbusFunctionCode.ReadDiscreteInputs =>
            ModbusRequestPdu.EncodeReadBits(pdu, Function, Address, _bits.Length),
        ModbusFunctionCode.WriteSingleCoil => ModbusRequestPdu.EncodeWriteSingleCoil(pdu, Address, _bitValues.Span[0]),
        ModbusFunctionCode.WriteMultipleCoils => ModbusRequestPdu.EncodeWriteMultipleCoils(pdu, Address, _bitValues.Span),
        ModbusFunctionCode.WriteSingleRegister => ModbusRequestPdu.EncodeWriteSingleRegister(pdu, Address, _values.Span[0]),
        ModbusFunctionCode.WriteMultipleRegisters => ModbusRequestPdu.EncodeWriteMultipleRegisters(pdu, Address, _values.Span),
        ModbusFunctionCode.ReadWriteMultipleRegisters =>
            ModbusRequestPdu.EncodeReadWriteMultipleRegisters(pdu, Address, _registers.Length, _writeAddress, _values.Span),
        ModbusFunctionCode.EncapsulatedInterfaceTransport =>
            ModbusRequestPdu.EncodeReadDeviceIdentification(pdu, _readDeviceIdCode, _objectId),
        ModbusFunctionCode.ReadFileRecord => ModbusFileRecordPdu.EncodeReadRequest(pdu, _file, Address, _fileBytes.Length / 2),
        ModbusFunctionCode.WriteFileRecord => ModbusFileRecordPdu.EncodeWriteRequest(pdu, _file, Address, _fileData.Span),
        _ => ModbusRequestPdu.EncodeReadRegisters(pdu, Function, Address, _registers.Length),
    };

    public ModbusResponse DecodeResponse(ReadOnlySpan<byte> pdu) => Function switch
    {
        ModbusFunctionCode.ReadCoils or ModbusFunctionCode.ReadDiscreteInputs =>
            ModbusResponsePdu.DecodeReadBits(pdu, Function, _bits.Span),
        ModbusFunctionCode.WriteSingleCoil => ModbusResponsePdu.DecodeWriteSingleCoil(pdu, Address, _bitValues.Span[0]),
        ModbusFunctionCode.WriteMultipleCoils => ModbusResponsePdu.DecodeWriteMultipleCoils(pdu, Address, _bitValues.Length),
        ModbusFunctionCode.WriteSingleRegister => ModbusResponsePdu.DecodeWriteSingleRegister(pdu, Address, _values.Span[0]),
        ModbusFunctionCode.WriteMultipleRegisters => ModbusResponsePdu.DecodeWriteMultipleRegisters(pdu, Address, _values.Length),
        ModbusFunctionCode.ReadWriteMultipleRegisters => ModbusResponsePdu.DecodeReadWriteMultipleRegisters(pdu, _registers.Span),
        ModbusFunctionCode.EncapsulatedInterfaceTransport => DecodeDeviceIdentification(pdu),
        ModbusFunctionCode.ReadFileRecord => ModbusFileRecordPdu.DecodeReadResponse(pdu, _fileBytes.Span),
        ModbusFunctionCode.WriteFileRecord => DecodeWriteFileRecord(pdu),
        _ => ModbusResponsePdu.DecodeReadRegisters(pdu, Function, _registers.Span),
    };

    public override string ToString() => Function switch
    {
        ModbusFunctionCode.EncapsulatedInterfaceTransport => $"read device identification unit {UnitId} code {_readDeviceIdCode} object {_objectId}",
        ModbusFunctionCode.ReadFileRecord or ModbusFunctionCode.WriteFileRecord =>
            $"{Function} unit {UnitId} file {_file} record {Address} length {Math.Max(_fileBytes.Length, _fileData.Length) / 2}",
        ModbusFunctionCode.ReadWriteMultipleRegisters =>
            $"{Function} unit {UnitId} read {_registers.Length} at {Address}, write {_values.Length} at {_writeAddress}",
        _ => $"{Function} unit {UnitId} address {Address} quantity {Quantity}",
    };

    private int Quantity => Function switch
    {
        ModbusFunctionCode.ReadCoils or ModbusFunctionCode.ReadDiscreteInputs => _bits.Length,
        ModbusFunctionCode.WriteSingleCoil or ModbusFunctionCode.WriteMultipleCoils => _bitValues.Length,
        ModbusFunctionCode.WriteSingleRegister or ModbusFunctionCode.WriteMultipleRegisters => _values.Length,
        _ => _registers.Length,
    };

    private ModbusResponse DecodeDeviceIdentification(ReadOnlySpan<byte> pdu)
    {
        Span<ModbusDeviceObjectLocation> objects = stackalloc ModbusDeviceObjectLocation[ModbusResponsePdu.MaxDeviceObjects];
        var response = ModbusResponsePdu.DecodeReadDeviceIdentification(pdu, _readDeviceIdCode, objects, out var identification);

        // The values are copied out here, while the PDU is still in the receive buffer.
        if (response.Status == ModbusDecodeStatus.Complete && !response.IsException && _identification is { } sink)
        {
            sink.Last = identification;
            foreach (var location in objects[..identification.ObjectCount])
                sink.Objects.Add(new ModbusDeviceObject(location.Id, location.ValueText(pdu)));
        }

        return response;
    }

    private ModbusResponse DecodeWriteFileRecord(ReadOnlySpan<byte> pdu)
    {
        Span<byte> request = stackalloc byte[ModbusPdu.MaxLength];
        int length = ModbusFileRecordPdu.EncodeWriteRequest(request, _file, Address, _fileData.Span);
        return ModbusFileRecordPdu.DecodeWriteResponse(pdu, request[..length]);
    }

    private static void CheckFileRecords(int bytes, int max, string parameter)
    {
        if (bytes < 2 || bytes > max || bytes % 2 != 0)
            throw new ArgumentException($"File records are 16-bit registers: one request carries an even 2..{max} bytes; found {bytes}.", parameter);
    }

    private static void CheckCount(int count, int max, string what, string unit, string parameter)
    {
        if (count < 1 || count > max)
            throw new ArgumentException($"{what} 1..{max} {unit}; found {count}.", parameter);
    }
}
