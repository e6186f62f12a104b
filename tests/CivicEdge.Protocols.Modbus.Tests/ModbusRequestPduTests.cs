namespace CivicEdge.Protocols.Modbus.Tests;

/// <summary>Golden vectors are the request examples of Modbus Application Protocol V1.1b3 §6.3, §6.4, §6.6 and §6.12.</summary>
[Category("Unit")]
public sealed class ModbusRequestPduTests
{
    private readonly ushort[] _values = new ushort[ModbusPdu.MaxWriteRegisters];

    [Test]
    public void EncodeReadRegisters_matches_the_read_holding_registers_example()
    {
        var pdu = new byte[ModbusRequestPdu.MaxLength];

        int length = ModbusRequestPdu.EncodeReadRegisters(pdu, ModbusFunctionCode.ReadHoldingRegisters, 0x006B, 3);

        Assert.That(Hex.Of(pdu.AsSpan(0, length)), Is.EqualTo("03006B0003"));
    }

    [Test]
    public void EncodeReadRegisters_matches_the_read_input_register_example()
    {
        var pdu = new byte[ModbusRequestPdu.MaxLength];

        int length = ModbusRequestPdu.EncodeReadRegisters(pdu, ModbusFunctionCode.ReadInputRegisters, 0x0008, 1);

        Assert.That(Hex.Of(pdu.AsSpan(0, length)), Is.EqualTo("0400080001"));
    }

    [Test]
    public void EncodeWriteSingleRegister_matches_the_write_single_register_example()
    {
        var pdu = new byte[ModbusRequestPdu.MaxLength];

        int length = ModbusRequestPdu.EncodeWriteSingleRegister(pdu, 0x0001, 0x0003);

        Assert.That(Hex.Of(pdu.AsSpan(0, length)), Is.EqualTo("0600010003"));
    }

    [Test]
    public void EncodeWriteMultipleRegisters_matches_the_write_multiple_registers_example()
    {
        var pdu = new byte[ModbusRequestPdu.MaxLength];

        int length = ModbusRequestPdu.EncodeWriteMultipleRegisters(pdu, 0x0001, [0x000A, 0x0102]);

        Assert.That(Hex.Of(pdu.AsSpan(0, length)), Is.EqualTo("100001000204000A0102"));
    }

    [TestCase(0)]
    [TestCase(126)]
    public void EncodeReadRegisters_rejects_a_quantity_outside_1_to_125(int quantity)
    {
        var pdu = new byte[ModbusRequestPdu.MaxLength];

        Assert.That(() => ModbusRequestPdu.EncodeReadRegisters(pdu, ModbusFunctionCode.ReadHoldingRegisters, 0, quantity),
            Throws.InstanceOf<ArgumentOutOfRangeException>());
    }

    [Test]
    public void EncodeReadRegisters_rejects_a_function_that_does_not_read_registers()
    {
        var pdu = new byte[ModbusRequestPdu.MaxLength];

        Assert.That(() => ModbusRequestPdu.EncodeReadRegisters(pdu, ModbusFunctionCode.WriteSingleRegister, 0, 1),
            Throws.InstanceOf<ArgumentOutOfRangeException>());
    }

    [Test]
    public void EncodeWriteMultipleRegisters_rejects_more_than_123_registers()
    {
        var pdu = new byte[300];

        Assert.That(() => ModbusRequestPdu.EncodeWriteMultipleRegisters(pdu, 0, new ushort[124]),
            Throws.InstanceOf<ArgumentOutOfRangeException>());
    }

    [Test]
    public void Encoding_into_a_buffer_that_is_too_short_names_the_sizes()
    {
        var pdu = new byte[4];

        Assert.That(() => ModbusRequestPdu.EncodeWriteSingleRegister(pdu, 1, 3),
            Throws.ArgumentException.With.Message.Contains("needs 5 bytes; the buffer has 4"));
    }

    [Test]
    public void Decode_reads_back_the_read_holding_registers_example()
    {
        var request = ModbusRequestPdu.Decode(Hex.Bytes("03 00 6B 00 03"), _values);

        Assert.That(request.IsValid, Is.True, request.ToString());
        Assert.That(request.Function, Is.EqualTo(ModbusFunctionCode.ReadHoldingRegisters));
        Assert.That(request.Address, Is.EqualTo(0x006B));
        Assert.That(request.Quantity, Is.EqualTo(3));
        Assert.That(request.Length, Is.EqualTo(5));
    }

    [Test]
    public void Decode_reads_back_the_write_single_register_example()
    {
        var request = ModbusRequestPdu.Decode(Hex.Bytes("06 00 01 00 03"), _values);

        Assert.That(request.IsValid, Is.True, request.ToString());
        Assert.That(request.Function, Is.EqualTo(ModbusFunctionCode.WriteSingleRegister));
        Assert.That(request.Address, Is.EqualTo(1));
        Assert.That(request.Quantity, Is.EqualTo(1));
        Assert.That(_values[0], Is.EqualTo(3));
    }

    [Test]
    public void Decode_reads_back_the_write_multiple_registers_example()
    {
        var request = ModbusRequestPdu.Decode(Hex.Bytes("10 00 01 00 02 04 00 0A 01 02"), _values);

        Assert.That(request.IsValid, Is.True, request.ToString());
        Assert.That(request.Address, Is.EqualTo(1));
        Assert.That(request.Quantity, Is.EqualTo(2));
        Assert.That(request.Length, Is.EqualTo(10));
        Assert.That(_values[..2], Is.EqualTo(new ushort[] { 0x000A, 0x0102 }));
    }

    [TestCase("", 1)]
    [TestCase("03 00 6B 00", 5)]
    [TestCase("06 00", 5)]
    [TestCase("10 00 01 00 02", 6)]
    [TestCase("10 00 01 00 02 04 00 0A 01", 10)]
    public void Decode_reports_need_more_data_with_the_length_it_needs(string prefix, int needed)
    {
        var request = ModbusRequestPdu.Decode(Hex.Bytes(prefix), _values);

        Assert.That(request.Status, Is.EqualTo(ModbusDecodeStatus.NeedMoreData));
        Assert.That(request.Length, Is.EqualTo(needed));
    }

    [TestCase("03 00 00 00 00", 3)]
    [TestCase("04 00 00 00 7E", 3)]
    [TestCase("10 00 00 00 00 00", 3)]
    [TestCase("10 00 00 00 02 03 00 0A 01", 5)]
    public void Decode_refuses_a_quantity_or_byte_count_out_of_range_with_illegal_data_value(string pdu, int offset)
    {
        var request = ModbusRequestPdu.Decode(Hex.Bytes(pdu), _values);

        Assert.That(request.Status, Is.EqualTo(ModbusDecodeStatus.Complete));
        Assert.That(request.Rejection, Is.EqualTo(ModbusExceptionCode.IllegalDataValue));
        Assert.That(request.Offset, Is.EqualTo(offset));
        Assert.That(request.Reason, Does.StartWith("expected"));
    }

    [Test]
    public void Decode_refuses_124_registers_in_one_write()
    {
        var pdu = new byte[6 + 248];
        ModbusRequestPdu.EncodeWriteMultipleRegisters(pdu, 0, new ushort[123]);
        pdu[4] = 124;
        pdu[5] = 248;

        var request = ModbusRequestPdu.Decode(pdu, _values);

        Assert.That(request.Rejection, Is.EqualTo(ModbusExceptionCode.IllegalDataValue));
        Assert.That(request.Reason, Does.Contain("found 124"));
    }

    [Test]
    public void Decode_refuses_an_unknown_function_with_illegal_function()
    {
        var request = ModbusRequestPdu.Decode(Hex.Bytes("41 00 01"), _values);

        Assert.That(request.Status, Is.EqualTo(ModbusDecodeStatus.Complete));
        Assert.That(request.Rejection, Is.EqualTo(ModbusExceptionCode.IllegalFunction));
        Assert.That(request.Function, Is.EqualTo((ModbusFunctionCode)0x41));
        Assert.That(request.Reason, Does.Contain("found 65 (0x41)"));
    }

    [Test]
    public void Decode_needs_room_for_the_largest_write()
    {
        Assert.That(() => ModbusRequestPdu.Decode(Hex.Bytes("03 00 6B 00 03"), new ushort[10]),
            Throws.ArgumentException.With.Message.Contains("123"));
    }
}
