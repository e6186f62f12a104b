using CsCheck;

namespace CivicEdge.Protocols.Modbus.Tests;

/// <summary>Whatever a master or server encodes within the spec's limits, the other side decodes to the same values.</summary>
[Category("Unit")]
public sealed class PduRoundTripTests
{
    private const int Iterations = 300;

    private static readonly Gen<ModbusFunctionCode> BitReads = Gen.OneOf(ModbusFunctionCode.ReadCoils, ModbusFunctionCode.ReadDiscreteInputs);
    private static readonly Gen<ModbusFunctionCode> RegisterReads = Gen.OneOf(ModbusFunctionCode.ReadHoldingRegisters, ModbusFunctionCode.ReadInputRegisters);

    [Test]
    public void Bit_read_requests_round_trip()
    {
        Gen.Select(BitReads, Gen.UShort, Gen.Int[1, ModbusPdu.MaxReadBits]).Sample((function, address, quantity) =>
        {
            var pdu = new byte[ModbusRequestPdu.MaxLength];
            int length = ModbusRequestPdu.EncodeReadBits(pdu, function, address, quantity);
            var request = ModbusRequestPdu.Decode(pdu.AsSpan(0, length), new ushort[ModbusPdu.MaxWriteRegisters]);
            return request.IsValid && request.Length == length && request.Function == function
                && request.Address == address && request.Quantity == quantity;
        }, iter: Iterations);
    }

    [Test]
    public void Register_read_and_write_requests_round_trip()
    {
        Gen.Select(RegisterReads, Gen.UShort, Gen.Int[1, ModbusPdu.MaxReadRegisters], Gen.UShort.Array[1, ModbusPdu.MaxWriteRegisters]).Sample((function, address, quantity, values) =>
        {
            var pdu = new byte[ModbusRequestPdu.MaxLength];
            var decoded = new ushort[ModbusPdu.MaxWriteRegisters];
            int readLength = ModbusRequestPdu.EncodeReadRegisters(pdu, function, address, quantity);
            var read = ModbusRequestPdu.Decode(pdu.AsSpan(0, readLength), decoded);
            int writeLength = ModbusRequestPdu.EncodeWriteMultipleRegisters(pdu, address, values);
            var write = ModbusRequestPdu.Decode(pdu.AsSpan(0, writeLength), decoded);
            return read.IsValid && read.Quantity == quantity && read.Function == function
                && write.IsValid && write.Length == writeLength && write.Address == address
                && decoded.AsSpan(0, values.Length).SequenceEqual(values);
        }, iter: Iterations);
    }

    [Test]
    public void Single_writes_round_trip()
    {
        Gen.Select(Gen.UShort, Gen.UShort, Gen.Bool).Sample((address, value, on) =>
        {
            var pdu = new byte[ModbusRequestPdu.MaxLength];
            var decoded = new ushort[ModbusPdu.MaxWriteRegisters];
            ModbusRequestPdu.EncodeWriteSingleRegister(pdu, address, value);
            var register = ModbusRequestPdu.Decode(pdu, decoded);
            var registerValue = decoded[0];
            ModbusRequestPdu.EncodeWriteSingleCoil(pdu, address, on);
            var coil = ModbusRequestPdu.Decode(pdu, decoded);
            return register.IsValid && register.Address == address && registerValue == value
                && coil.IsValid && coil.Address == address && decoded[0] == (on ? ModbusRequestPdu.CoilOn : 0);
        }, iter: Iterations);
    }

    [Test]
    public void Coil_write_requests_round_trip()
    {
        Gen.Select(Gen.UShort, Gen.Bool.Array[1, ModbusPdu.MaxWriteBits]).Sample((address, coils) =>
        {
            var pdu = new byte[ModbusRequestPdu.MaxLength];
            int length = ModbusRequestPdu.EncodeWriteMultipleCoils(pdu, address, coils);
            var request = ModbusRequestPdu.Decode(pdu.AsSpan(0, length), new ushort[ModbusPdu.MaxWriteRegisters]);
            var decoded = new bool[request.Quantity];
            ModbusBits.Unpack(pdu.AsSpan(request.DataOffset, length - request.DataOffset), decoded);
            return request.IsValid && request.Length == length && request.Address == address && decoded.SequenceEqual(coils);
        }, iter: Iterations);
    }

    [Test]
    public void Read_write_requests_round_trip()
    {
        Gen.Select(Gen.UShort, Gen.Int[1, ModbusPdu.MaxReadWriteReadRegisters], Gen.UShort, Gen.UShort.Array[1, ModbusPdu.MaxReadWriteWriteRegisters])
            .Sample((readAddress, readQuantity, writeAddress, values) =>
            {
                var pdu = new byte[ModbusRequestPdu.MaxLength];
                var decoded = new ushort[ModbusPdu.MaxWriteRegisters];
                int length = ModbusRequestPdu.EncodeReadWriteMultipleRegisters(pdu, readAddress, readQuantity, writeAddress, values);
                var request = ModbusRequestPdu.Decode(pdu.AsSpan(0, length), decoded);
                return request.IsValid && request.Length == length
                    && request.Address == readAddress && request.Quantity == readQuantity
                    && request.WriteAddress == writeAddress && request.WriteQuantity == values.Length
                    && decoded.AsSpan(0, values.Length).SequenceEqual(values);
            }, iter: Iterations);
    }

    [Test]
    public void Device_identification_requests_round_trip()
    {
        Gen.Select(Gen.Int[1, 4], Gen.Byte).Sample((code, objectId) =>
        {
            var pdu = new byte[ModbusRequestPdu.MaxLength];
            int length = ModbusRequestPdu.EncodeReadDeviceIdentification(pdu, (ModbusReadDeviceIdCode)code, objectId);
            var request = ModbusRequestPdu.Decode(pdu.AsSpan(0, length), new ushort[ModbusPdu.MaxWriteRegisters]);
            return request.IsValid && (int)request.ReadDeviceIdCode == code && request.ObjectId == objectId;
        }, iter: Iterations);
    }

    [Test]
    public void Bit_read_responses_round_trip()
    {
        Gen.Select(BitReads, Gen.Bool.Array[1, ModbusPdu.MaxReadBits]).Sample((function, bits) =>
        {
            var pdu = new byte[ModbusPdu.MaxLength];
            int length = ModbusResponsePdu.EncodeReadBits(pdu, function, bits);
            var decoded = new bool[bits.Length];
            var response = ModbusResponsePdu.DecodeReadBits(pdu.AsSpan(0, length), function, decoded);
            return response.Status == ModbusDecodeStatus.Complete && response.Length == length && decoded.SequenceEqual(bits);
        }, iter: Iterations);
    }

    [Test]
    public void Register_read_responses_round_trip_for_function_codes_3_4_and_23()
    {
        var functions = Gen.OneOf(ModbusFunctionCode.ReadHoldingRegisters, ModbusFunctionCode.ReadInputRegisters, ModbusFunctionCode.ReadWriteMultipleRegisters);
        Gen.Select(functions, Gen.UShort.Array[1, ModbusPdu.MaxReadRegisters]).Sample((function, registers) =>
        {
            var pdu = new byte[ModbusPdu.MaxLength];
            int length = ModbusResponsePdu.EncodeReadRegisters(pdu, function, registers);
            var decoded = new ushort[registers.Length];
            var response = ModbusResponsePdu.DecodeReadRegisters(pdu.AsSpan(0, length), function, decoded);
            return response.Status == ModbusDecodeStatus.Complete && response.Length == length && decoded.SequenceEqual(registers);
        }, iter: Iterations);
    }

    [Test]
    public void Write_answers_round_trip()
    {
        Gen.Select(Gen.UShort, Gen.Bool, Gen.Int[1, ModbusPdu.MaxWriteBits]).Sample((address, on, quantity) =>
        {
            var pdu = new byte[ModbusPdu.MaxLength];
            ModbusResponsePdu.EncodeWriteSingleCoil(pdu, address, on);
            var single = ModbusResponsePdu.DecodeWriteSingleCoil(pdu, address, on);
            ModbusResponsePdu.EncodeWriteMultipleCoils(pdu, address, quantity);
            var multiple = ModbusResponsePdu.DecodeWriteMultipleCoils(pdu, address, quantity);
            return single.Status == ModbusDecodeStatus.Complete && multiple.Status == ModbusDecodeStatus.Complete;
        }, iter: Iterations);
    }

    [Test]
    public void Device_identification_responses_round_trip()
    {
        var text = Gen.Char[' ', '~'].Array[0, 40].Select(chars => new string(chars));
        var objects = Gen.Select(Gen.Byte, text, (id, value) => new ModbusDeviceObject(id, value)).Array[1, 12];
        Gen.Select(Gen.Int[1, 4], Gen.Byte, objects).Sample((code, conformity, sent) =>
        {
            var pdu = new byte[ModbusPdu.MaxLength];
            var locations = new ModbusDeviceObjectLocation[ModbusResponsePdu.MaxDeviceObjects];
            int length = ModbusResponsePdu.EncodeReadDeviceIdentification(pdu, (ModbusReadDeviceIdCode)code, conformity, sent, out int written);
            var response = ModbusResponsePdu.DecodeReadDeviceIdentification(pdu.AsSpan(0, length), (ModbusReadDeviceIdCode)code, locations, out var identification);
            return response.Status == ModbusDecodeStatus.Complete && response.Length == length
                && identification.ObjectCount == written && identification.ConformityLevel == conformity
                && identification.MoreFollows == (written < sent.Length)
                && (!identification.MoreFollows || identification.NextObjectId == sent[written].Id)
                && Enumerable.Range(0, written).All(i => locations[i].Id == sent[i].Id && locations[i].ValueText(pdu) == sent[i].Value);
        }, iter: Iterations);
    }

    [Test]
    public void Exception_responses_round_trip_for_any_function()
    {
        Gen.Select(Gen.Byte[1, 0x7F], Gen.Byte[1, 0xFF]).Sample((function, code) =>
        {
            var pdu = new byte[ModbusPdu.MaxLength];
            int length = ModbusResponsePdu.EncodeException(pdu, (ModbusFunctionCode)function, (ModbusExceptionCode)code);
            var response = ModbusResponsePdu.DecodeWriteSingleRegister(pdu.AsSpan(0, length), 0, 0);
            return function != (byte)ModbusFunctionCode.WriteSingleRegister
                ? response.Status == ModbusDecodeStatus.Malformed
                : response.IsException && (byte)response.ExceptionCode == code;
        }, iter: Iterations);
    }

    [Test]
    public void Strings_round_trip_in_both_byte_orders()
    {
        Gen.Select(Gen.Char['!', '~'].Array[0, 40].Select(chars => new string(chars)), Gen.Bool, Gen.Int[0, 4]).Sample((text, swap, spare) =>
        {
            var registers = new ushort[((text.Length + 1) / 2) + spare];
            RegisterValueCodec.EncodeString(text, registers, swap);
            return RegisterValueCodec.DecodeString(registers, swap) == text;
        }, iter: Iterations);
    }
}
