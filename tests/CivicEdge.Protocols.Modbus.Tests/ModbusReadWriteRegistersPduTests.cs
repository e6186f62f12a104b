namespace CivicEdge.Protocols.Modbus.Tests;

/// <summary>Golden vectors of function code 23, the example of Modbus Application Protocol V1.1b3 §6.17.</summary>
[Category("Unit")]
public sealed class ModbusReadWriteRegistersPduTests
{
    private const string ExampleRequest = "17 00 03 00 06 00 0E 00 03 06 00 FF 00 FF 00 FF";
    private const string ExampleResponse = "17 0C 00 FE 0A CD 00 01 00 03 00 0D 00 FF";
    private static readonly ushort[] RegistersRead = [0x00FE, 0x0ACD, 0x0001, 0x0003, 0x000D, 0x00FF];

    private readonly ushort[] _values = new ushort[ModbusPdu.MaxWriteRegisters];
    private readonly byte[] _pdu = new byte[ModbusPdu.MaxLength];

    [Test]
    public void Request_matches_the_example()
    {
        int length = ModbusRequestPdu.EncodeReadWriteMultipleRegisters(_pdu, 0x0003, 6, 0x000E, [0x00FF, 0x00FF, 0x00FF]);

        Assert.That(Hex.Of(_pdu.AsSpan(0, length)), Is.EqualTo(Hex.Of(Hex.Bytes(ExampleRequest))));
    }

    [Test]
    public void Request_of_the_example_decodes_to_both_blocks_and_the_values_written()
    {
        var request = ModbusRequestPdu.Decode(Hex.Bytes(ExampleRequest), _values);

        Assert.That(request.IsValid, Is.True, request.ToString());
        Assert.That(request.Length, Is.EqualTo(16));
        Assert.That((request.Address, request.Quantity), Is.EqualTo(((ushort)3, (ushort)6)));
        Assert.That((request.WriteAddress, request.WriteQuantity), Is.EqualTo(((ushort)0x0E, (ushort)3)));
        Assert.That(_values[..3], Is.EqualTo(new ushort[] { 0x00FF, 0x00FF, 0x00FF }));
    }

    [Test]
    public void Response_matches_the_example_both_ways()
    {
        int length = ModbusResponsePdu.EncodeReadWriteMultipleRegisters(_pdu, RegistersRead);
        var registers = new ushort[6];
        var response = ModbusResponsePdu.DecodeReadWriteMultipleRegisters(Hex.Bytes(ExampleResponse), registers);

        Assert.That(Hex.Of(_pdu.AsSpan(0, length)), Is.EqualTo(Hex.Of(Hex.Bytes(ExampleResponse))));
        Assert.That(response.Status, Is.EqualTo(ModbusDecodeStatus.Complete), response.ToString());
        Assert.That(registers, Is.EqualTo(RegistersRead));
    }

    [TestCase("17 00 00 00 7E 00 00 00 01 02 00 00", 3)]
    [TestCase("17 00 00 00 01 00 00 00 7A F4", 7)]
    [TestCase("17 00 00 00 01 00 00 00 02 02 00 00", 9)]
    public void Quantities_and_byte_counts_outside_the_limits_are_refused_with_illegal_data_value(string hex, int offset)
    {
        var bytes = Hex.Bytes(hex);
        byte[] pdu = bytes.Length == 10 ? [.. bytes, .. new byte[bytes[9]]] : bytes;

        var request = ModbusRequestPdu.Decode(pdu, _values);

        Assert.That(request.Rejection, Is.EqualTo(ModbusExceptionCode.IllegalDataValue), request.ToString());
        Assert.That(request.Offset, Is.EqualTo(offset));
    }

    [Test]
    public void The_encoder_keeps_to_125_registers_read_and_121_written()
    {
        Assert.That(ModbusRequestPdu.EncodeReadWriteMultipleRegisters(_pdu, 0, 125, 0, new ushort[121]), Is.EqualTo(10 + 242));
        Assert.That(() => ModbusRequestPdu.EncodeReadWriteMultipleRegisters(_pdu, 0, 126, 0, new ushort[1]), Throws.InstanceOf<ArgumentOutOfRangeException>());
        Assert.That(() => ModbusRequestPdu.EncodeReadWriteMultipleRegisters(_pdu, 0, 1, 0, new ushort[122]), Throws.InstanceOf<ArgumentOutOfRangeException>());
    }

    [Test]
    public void A_request_cut_short_needs_the_bytes_its_byte_count_announces()
    {
        var request = ModbusRequestPdu.Decode(Hex.Bytes("17 00 03 00 06 00 0E 00 03 06 00 FF"), _values);

        Assert.That(request.Status, Is.EqualTo(ModbusDecodeStatus.NeedMoreData));
        Assert.That(request.Length, Is.EqualTo(16));
    }
}
