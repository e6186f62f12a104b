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

    private static bool Consistent(ModbusResponse response, byte[] bytes) => response.Status switch
    {
        ModbusDecodeStatus.Complete => response.Length <= bytes.Length,
        ModbusDecodeStatus.NeedMoreData => response.Length > bytes.Length,
        _ => response.Reason is not null,
    };
}
