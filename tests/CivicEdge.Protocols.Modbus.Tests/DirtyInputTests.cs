using CsCheck;

namespace CivicEdge.Protocols.Modbus.Tests;

/// <summary>Field data can be anything: the decoders must answer every byte sequence with a result, never an exception.</summary>
[Category("Unit")]
public sealed class DirtyInputTests
{
    private static readonly Gen<byte[]> AnyBytes = Gen.Byte.Array[0, 300];

    [Test]
    public void Frame_answers_any_bytes_with_a_consistent_result()
    {
        AnyBytes.Sample(bytes =>
        {
            var frame = ModbusTcpFramer.Frame(bytes);
            return frame.Status switch
            {
                ModbusDecodeStatus.Complete => frame.Length <= bytes.Length && frame.Length >= MbapHeader.Size + 1 && frame.Pdu(bytes).Length == frame.Header.PduLength,
                ModbusDecodeStatus.NeedMoreData => frame.Length > bytes.Length && frame.Length <= MbapHeader.MaxAduLength,
                _ => frame.Reason is not null && frame.Offset is 2 or 4,
            };
        });
    }

    [Test]
    public void Request_decoding_answers_any_bytes_without_throwing()
    {
        var values = new ushort[ModbusPdu.MaxWriteRegisters];
        AnyBytes.Sample(bytes =>
        {
            var request = ModbusRequestPdu.Decode(bytes, values);
            return request.Status == ModbusDecodeStatus.NeedMoreData
                ? request.Length > bytes.Length
                : request.Length <= bytes.Length;
        });
    }

    [Test]
    public void Response_decoding_answers_any_bytes_without_throwing()
    {
        var registers = new ushort[3];
        AnyBytes.Sample(bytes =>
        {
            var read = ModbusResponsePdu.DecodeReadRegisters(bytes, ModbusFunctionCode.ReadHoldingRegisters, registers);
            var single = ModbusResponsePdu.DecodeWriteSingleRegister(bytes, 1, 3);
            var multiple = ModbusResponsePdu.DecodeWriteMultipleRegisters(bytes, 1, 2);
            return Consistent(read, bytes) && Consistent(single, bytes) && Consistent(multiple, bytes);
        });
    }

    [Test]
    public void Response_decoders_of_every_function_answer_any_bytes_without_throwing()
    {
        var bits = new bool[19];
        var registers = new ushort[6];
        var objects = new ModbusDeviceObjectLocation[ModbusResponsePdu.MaxDeviceObjects];
        AnyBytes.Sample(bytes =>
        {
            var readBits = ModbusResponsePdu.DecodeReadBits(bytes, ModbusFunctionCode.ReadCoils, bits);
            var coil = ModbusResponsePdu.DecodeWriteSingleCoil(bytes, 0xAC, on: true);
            var coils = ModbusResponsePdu.DecodeWriteMultipleCoils(bytes, 0x13, 10);
            var readWrite = ModbusResponsePdu.DecodeReadWriteMultipleRegisters(bytes, registers);
            var identification = ModbusResponsePdu.DecodeReadDeviceIdentification(bytes, ModbusReadDeviceIdCode.Basic, objects, out var header);
            return Consistent(readBits, bytes) && Consistent(coil, bytes) && Consistent(coils, bytes) && Consistent(readWrite, bytes)
                && Consistent(identification, bytes)
                && (identification.Status != ModbusDecodeStatus.Complete || LocationsInside(objects.AsSpan(0, header.ObjectCount), identification.Length));
        });
    }

    [Test]
    public void Rtu_framing_answers_any_bytes_with_a_consistent_result()
    {
        AnyBytes.Sample(bytes =>
            Consistent(ModbusRtuFramer.FrameResponse(bytes), bytes)
            && Consistent(ModbusRtuFramer.FrameResponse(bytes, 1, ModbusFunctionCode.ReadHoldingRegisters), bytes)
            && Consistent(ModbusRtuFramer.FrameRequest(bytes), bytes)
            && Consistent(ModbusRtuFramer.FrameAtSilence(bytes), bytes));
    }

    [Test]
    public void Rtu_resynchronisation_always_moves_forward_and_stays_inside_the_bytes()
    {
        AnyBytes.Sample(bytes =>
        {
            var response = ModbusRtuFramer.ResynchroniseResponse(bytes, 1, ModbusFunctionCode.ReadHoldingRegisters);
            var request = ModbusRtuFramer.ResynchroniseRequest(bytes);
            return Resynchronised(response, bytes) && Resynchronised(request, bytes);
        });
    }

    [Test]
    public void Register_values_decode_any_registers_without_throwing()
    {
        Gen.Select(Gen.UShort.Array[4], Gen.Enum<RegisterDataType>(), Gen.Enum<RegisterOrder>(), Gen.Bool).Sample((registers, type, order, swap) =>
        {
            bool decoded = RegisterValueCodec.TryDecode(registers, type, order, out var value, out var reason);
            var text = RegisterValueCodec.DecodeString(registers, swap);
            return (decoded ? reason is null : reason is not null && double.IsNaN(value))
                && text.Length <= 2 * registers.Length
                && (decoded || type is RegisterDataType.Bcd16 or RegisterDataType.Bcd32);
        });
    }

    private static bool Resynchronised(ModbusRtuResync resync, byte[] bytes) =>
        bytes.Length == 0
            ? resync.Skipped == 0
            : resync.Skipped >= 1 && resync.Skipped <= bytes.Length
                && (resync.Skipped == bytes.Length || Consistent(resync.Frame, bytes[resync.Skipped..]))
                && resync.Frame.Status != ModbusDecodeStatus.Malformed;

    private static bool LocationsInside(ReadOnlySpan<ModbusDeviceObjectLocation> objects, int length)
    {
        foreach (var location in objects)
        {
            if (location.Offset < 7 || location.Offset + location.Length > length)
                return false;
        }

        return true;
    }

    private static bool Consistent(ModbusRtuFrame frame, byte[] bytes) => frame.Status switch
    {
        ModbusDecodeStatus.Complete => frame.Length >= 4 && frame.Length <= bytes.Length && frame.Length <= ModbusRtuFramer.MaxAduLength
            && ModbusCrc16.Matches(bytes.AsSpan(0, frame.Length)),
        ModbusDecodeStatus.NeedMoreData => frame.Length > bytes.Length && frame.Length <= ModbusRtuFramer.MaxAduLength
            && frame.MoreBytesNeeded == frame.Length - bytes.Length,
        _ => frame.Reason is not null && frame.Error != ModbusRtuFrameError.None,
    };

    private static bool Consistent(ModbusResponse response, byte[] bytes) => response.Status switch
    {
        ModbusDecodeStatus.Complete => response.Length <= bytes.Length,
        ModbusDecodeStatus.NeedMoreData => response.Length > bytes.Length,
        _ => response.Reason is not null,
    };
}
