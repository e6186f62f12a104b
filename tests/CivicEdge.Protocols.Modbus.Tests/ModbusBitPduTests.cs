namespace CivicEdge.Protocols.Modbus.Tests;

/// <summary>
/// Golden vectors of the bit function codes: the examples of Modbus Application Protocol V1.1b3 §6.1 (read coils),
/// §6.2 (read discrete inputs), §6.5 (write single coil) and §6.11 (write multiple coils).
/// </summary>
[Category("Unit")]
public sealed class ModbusBitPduTests
{
    // §6.1: coils 20..38; CD holds 27..20 (27 the most significant bit), 6B holds 35..28, 05 holds 38..36.
    private static readonly bool[] CoilsTwentyToThirtyEight = Bits("10110011" + "11010110" + "101");

    // §6.2: inputs 197..218; AC holds 204..197, DB holds 212..205, 35 holds 218..213.
    private static readonly bool[] InputsFrom197 = Bits("00110101" + "11011011" + "101011");

    // §6.11: coils 20..29 = CD 01.
    private static readonly bool[] TenCoilsFromTwenty = Bits("10110011" + "10");

    private readonly ushort[] _values = new ushort[ModbusPdu.MaxWriteRegisters];
    private readonly byte[] _pdu = new byte[ModbusPdu.MaxLength];

    [Test]
    public void Read_coils_request_matches_the_example()
    {
        int length = ModbusRequestPdu.EncodeReadBits(_pdu, ModbusFunctionCode.ReadCoils, 0x0013, 0x0013);

        Assert.That(Hex.Of(_pdu.AsSpan(0, length)), Is.EqualTo("0100130013"));
    }

    [Test]
    public void Read_coils_request_of_the_example_decodes_to_its_address_and_quantity()
    {
        var request = ModbusRequestPdu.Decode(Hex.Bytes("01 00 13 00 13"), _values);

        Assert.That(request.IsValid, Is.True, request.ToString());
        Assert.That((request.Function, request.Address, request.Quantity), Is.EqualTo((ModbusFunctionCode.ReadCoils, (ushort)0x13, (ushort)0x13)));
    }

    [Test]
    public void Read_coils_response_matches_the_example()
    {
        int length = ModbusResponsePdu.EncodeReadBits(_pdu, ModbusFunctionCode.ReadCoils, CoilsTwentyToThirtyEight);

        Assert.That(Hex.Of(_pdu.AsSpan(0, length)), Is.EqualTo("0103CD6B05"));
    }

    [Test]
    public void Read_coils_response_of_the_example_decodes_to_the_coil_states()
    {
        var coils = new bool[19];

        var response = ModbusResponsePdu.DecodeReadBits(Hex.Bytes("01 03 CD 6B 05"), ModbusFunctionCode.ReadCoils, coils);

        Assert.That(response.Status, Is.EqualTo(ModbusDecodeStatus.Complete), response.ToString());
        Assert.That(response.Length, Is.EqualTo(5));
        Assert.That(coils, Is.EqualTo(CoilsTwentyToThirtyEight));
    }

    [Test]
    public void Read_discrete_inputs_request_matches_the_example()
    {
        int length = ModbusRequestPdu.EncodeReadBits(_pdu, ModbusFunctionCode.ReadDiscreteInputs, 0x00C4, 0x0016);

        Assert.That(Hex.Of(_pdu.AsSpan(0, length)), Is.EqualTo("0200C40016"));
    }

    [Test]
    public void Read_discrete_inputs_response_matches_the_example_both_ways()
    {
        int length = ModbusResponsePdu.EncodeReadBits(_pdu, ModbusFunctionCode.ReadDiscreteInputs, InputsFrom197);
        var inputs = new bool[22];
        var response = ModbusResponsePdu.DecodeReadBits(Hex.Bytes("02 03 AC DB 35"), ModbusFunctionCode.ReadDiscreteInputs, inputs);

        Assert.That(Hex.Of(_pdu.AsSpan(0, length)), Is.EqualTo("0203ACDB35"));
        Assert.That(response.Status, Is.EqualTo(ModbusDecodeStatus.Complete), response.ToString());
        Assert.That(inputs, Is.EqualTo(InputsFrom197));
    }

    [Test]
    public void Write_single_coil_request_and_its_echo_match_the_example()
    {
        int request = ModbusRequestPdu.EncodeWriteSingleCoil(_pdu, 0x00AC, on: true);
        var requestHex = Hex.Of(_pdu.AsSpan(0, request));
        int echo = ModbusResponsePdu.EncodeWriteSingleCoil(_pdu, 0x00AC, on: true);

        Assert.That(requestHex, Is.EqualTo("0500ACFF00"));
        Assert.That(Hex.Of(_pdu.AsSpan(0, echo)), Is.EqualTo("0500ACFF00"));
        Assert.That(ModbusResponsePdu.DecodeWriteSingleCoil(Hex.Bytes("05 00 AC FF 00"), 0x00AC, on: true).Status, Is.EqualTo(ModbusDecodeStatus.Complete));
    }

    [Test]
    public void Write_single_coil_request_of_the_example_decodes_to_on()
    {
        var request = ModbusRequestPdu.Decode(Hex.Bytes("05 00 AC FF 00"), _values);

        Assert.That(request.IsValid, Is.True, request.ToString());
        Assert.That(request.Address, Is.EqualTo(0x00AC));
        Assert.That(_values[0], Is.EqualTo(ModbusRequestPdu.CoilOn));
    }

    [Test]
    public void Write_single_coil_with_a_value_other_than_on_or_off_is_refused_with_illegal_data_value()
    {
        var request = ModbusRequestPdu.Decode(Hex.Bytes("05 00 AC 00 01"), _values);

        Assert.That(request.Rejection, Is.EqualTo(ModbusExceptionCode.IllegalDataValue));
        Assert.That(request.Offset, Is.EqualTo(3));
        Assert.That(request.Reason, Does.Contain("0x0001"));
    }

    [Test]
    public void An_echo_with_the_coil_in_the_other_state_is_malformed()
    {
        var response = ModbusResponsePdu.DecodeWriteSingleCoil(Hex.Bytes("05 00 AC 00 00"), 0x00AC, on: true);

        Assert.That(response.Status, Is.EqualTo(ModbusDecodeStatus.Malformed));
        Assert.That(response.Offset, Is.EqualTo(3));
    }

    [Test]
    public void Write_multiple_coils_request_matches_the_example()
    {
        int length = ModbusRequestPdu.EncodeWriteMultipleCoils(_pdu, 0x0013, TenCoilsFromTwenty);

        Assert.That(Hex.Of(_pdu.AsSpan(0, length)), Is.EqualTo("0F0013000A02CD01"));
    }

    [Test]
    public void Write_multiple_coils_request_of_the_example_decodes_to_the_coil_states()
    {
        var pdu = Hex.Bytes("0F 00 13 00 0A 02 CD 01");
        var coils = new bool[10];

        var request = ModbusRequestPdu.Decode(pdu, _values);
        ModbusBits.Unpack(pdu.AsSpan(request.DataOffset), coils);

        Assert.That(request.IsValid, Is.True, request.ToString());
        Assert.That((request.Address, request.Quantity, request.Length), Is.EqualTo(((ushort)0x13, (ushort)10, 8)));
        Assert.That(coils, Is.EqualTo(TenCoilsFromTwenty));
    }

    [Test]
    public void Write_multiple_coils_response_matches_the_example_both_ways()
    {
        int length = ModbusResponsePdu.EncodeWriteMultipleCoils(_pdu, 0x0013, 10);
        var response = ModbusResponsePdu.DecodeWriteMultipleCoils(Hex.Bytes("0F 00 13 00 0A"), 0x0013, 10);

        Assert.That(Hex.Of(_pdu.AsSpan(0, length)), Is.EqualTo("0F0013000A"));
        Assert.That(response.Status, Is.EqualTo(ModbusDecodeStatus.Complete), response.ToString());
    }

    [Test]
    public void Write_multiple_coils_with_a_byte_count_that_does_not_fit_the_quantity_is_refused()
    {
        var request = ModbusRequestPdu.Decode(Hex.Bytes("0F 00 13 00 0A 01 CD"), _values);

        Assert.That(request.Rejection, Is.EqualTo(ModbusExceptionCode.IllegalDataValue));
        Assert.That(request.Offset, Is.EqualTo(5));
        Assert.That(request.Reason, Does.Contain("expected a byte count of 2 for 10 coils, found 1"));
    }

    [TestCase("01 00 00 00 00", 3)]
    [TestCase("01 00 00 07 D1", 3)]
    [TestCase("02 00 00 07 D1", 3)]
    [TestCase("0F 00 00 07 B1 F7", 3)]
    public void Bit_quantities_beyond_the_spec_limits_are_refused_with_illegal_data_value(string hex, int offset)
    {
        var bytes = Hex.Bytes(hex);
        byte[] pdu = bytes.Length == 6 ? [.. bytes, .. new byte[0xF7]] : bytes;

        var request = ModbusRequestPdu.Decode(pdu, _values);

        Assert.That(request.Rejection, Is.EqualTo(ModbusExceptionCode.IllegalDataValue), request.ToString());
        Assert.That(request.Offset, Is.EqualTo(offset));
    }

    [Test]
    public void The_spec_limits_themselves_are_accepted()
    {
        Assert.That(ModbusRequestPdu.Decode(Hex.Bytes("01 00 00 07 D0"), _values).IsValid, Is.True);
        Assert.That(ModbusRequestPdu.EncodeWriteMultipleCoils(_pdu, 0, new bool[ModbusPdu.MaxWriteBits]), Is.EqualTo(6 + 246));
        Assert.That(() => ModbusRequestPdu.EncodeWriteMultipleCoils(_pdu, 0, new bool[ModbusPdu.MaxWriteBits + 1]), Throws.InstanceOf<ArgumentOutOfRangeException>());
        Assert.That(() => ModbusRequestPdu.EncodeReadBits(_pdu, ModbusFunctionCode.ReadCoils, 0, ModbusPdu.MaxReadBits + 1), Throws.InstanceOf<ArgumentOutOfRangeException>());
    }

    [Test]
    public void A_read_bits_answer_with_the_wrong_byte_count_is_malformed()
    {
        var response = ModbusResponsePdu.DecodeReadBits(Hex.Bytes("01 02 CD 6B"), ModbusFunctionCode.ReadCoils, new bool[19]);

        Assert.That(response.Status, Is.EqualTo(ModbusDecodeStatus.Malformed));
        Assert.That(response.Reason, Does.Contain("expected a byte count of 3 for 19 bits, found 2"));
    }

    [Test]
    public void Packing_zeroes_the_unused_bits_of_the_last_byte()
    {
        var packed = new byte[] { 0xFF, 0xFF };

        int length = ModbusBits.Pack([true, false, true], packed);

        Assert.That(length, Is.EqualTo(1));
        Assert.That(packed[0], Is.EqualTo(0x05));
    }

    /// <summary>Bits in wire order, written first bit first.</summary>
    private static bool[] Bits(string ones) => [.. ones.Select(c => c == '1')];
}
