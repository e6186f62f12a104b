namespace CivicEdge.Protocols.Modbus.Tests;

/// <summary>Golden vectors are the response examples of Modbus Application Protocol V1.1b3 §6.3, §6.4, §6.6, §6.12 and §7.</summary>
[Category("Unit")]
public sealed class ModbusResponsePduTests
{
    [Test]
    public void DecodeReadRegisters_reads_the_read_holding_registers_example()
    {
        var registers = new ushort[3];

        var response = ModbusResponsePdu.DecodeReadRegisters(Hex.Bytes("03 06 02 2B 00 00 00 64"), ModbusFunctionCode.ReadHoldingRegisters, registers);

        Assert.That(response.Status, Is.EqualTo(ModbusDecodeStatus.Complete), response.ToString());
        Assert.That(response.Length, Is.EqualTo(8));
        Assert.That(response.IsException, Is.False);
        Assert.That(registers, Is.EqualTo(new ushort[] { 0x022B, 0x0000, 0x0064 }));
    }

    [Test]
    public void DecodeReadRegisters_reads_the_read_input_register_example()
    {
        var registers = new ushort[1];

        var response = ModbusResponsePdu.DecodeReadRegisters(Hex.Bytes("04 02 00 0A"), ModbusFunctionCode.ReadInputRegisters, registers);

        Assert.That(response.Status, Is.EqualTo(ModbusDecodeStatus.Complete), response.ToString());
        Assert.That(registers[0], Is.EqualTo(0x000A));
    }

    [Test]
    public void DecodeReadRegisters_reads_the_exception_response_example()
    {
        var response = ModbusResponsePdu.DecodeReadRegisters(Hex.Bytes("83 02"), ModbusFunctionCode.ReadHoldingRegisters, new ushort[3]);

        Assert.That(response.Status, Is.EqualTo(ModbusDecodeStatus.Complete));
        Assert.That(response.Length, Is.EqualTo(2));
        Assert.That(response.ExceptionCode, Is.EqualTo(ModbusExceptionCode.IllegalDataAddress));
    }

    [Test]
    public void An_exception_code_outside_the_enumeration_is_kept_as_sent()
    {
        var response = ModbusResponsePdu.DecodeWriteSingleRegister(Hex.Bytes("86 0C"), 1, 3);

        Assert.That((byte)response.ExceptionCode, Is.EqualTo(0x0C));
    }

    [Test]
    public void DecodeWriteSingleRegister_accepts_the_echo_of_the_example()
    {
        var response = ModbusResponsePdu.DecodeWriteSingleRegister(Hex.Bytes("06 00 01 00 03"), 0x0001, 0x0003);

        Assert.That(response.Status, Is.EqualTo(ModbusDecodeStatus.Complete), response.ToString());
        Assert.That(response.Length, Is.EqualTo(5));
    }

    [Test]
    public void DecodeWriteMultipleRegisters_accepts_the_answer_of_the_example()
    {
        var response = ModbusResponsePdu.DecodeWriteMultipleRegisters(Hex.Bytes("10 00 01 00 02"), 0x0001, 2);

        Assert.That(response.Status, Is.EqualTo(ModbusDecodeStatus.Complete), response.ToString());
    }

    [Test]
    public void DecodeReadRegisters_reports_a_foreign_function_code_as_malformed_at_offset_0()
    {
        var response = ModbusResponsePdu.DecodeReadRegisters(Hex.Bytes("04 02 00 0A"), ModbusFunctionCode.ReadHoldingRegisters, new ushort[1]);

        Assert.That(response.Status, Is.EqualTo(ModbusDecodeStatus.Malformed));
        Assert.That(response.Offset, Is.EqualTo(0));
        Assert.That(response.Reason, Is.EqualTo("expected function code 0x03 or its exception 0x83, found 0x04"));
    }

    [Test]
    public void DecodeReadRegisters_reports_a_byte_count_that_does_not_fit_the_request_as_malformed()
    {
        var response = ModbusResponsePdu.DecodeReadRegisters(Hex.Bytes("03 04 02 2B 00 00"), ModbusFunctionCode.ReadHoldingRegisters, new ushort[3]);

        Assert.That(response.Status, Is.EqualTo(ModbusDecodeStatus.Malformed));
        Assert.That(response.Offset, Is.EqualTo(1));
        Assert.That(response.Reason, Is.EqualTo("expected a byte count of 6 for 3 registers, found 4"));
    }

    [Test]
    public void DecodeWriteSingleRegister_reports_an_echo_of_another_value_as_malformed()
    {
        var response = ModbusResponsePdu.DecodeWriteSingleRegister(Hex.Bytes("06 00 01 00 04"), 0x0001, 0x0003);

        Assert.That(response.Status, Is.EqualTo(ModbusDecodeStatus.Malformed));
        Assert.That(response.Offset, Is.EqualTo(3));
        Assert.That(response.Reason, Does.Contain("expected register value 3").And.Contain("found 4"));
    }

    [Test]
    public void DecodeWriteMultipleRegisters_reports_another_starting_address_as_malformed()
    {
        var response = ModbusResponsePdu.DecodeWriteMultipleRegisters(Hex.Bytes("10 00 02 00 02"), 0x0001, 2);

        Assert.That(response.Status, Is.EqualTo(ModbusDecodeStatus.Malformed));
        Assert.That(response.Offset, Is.EqualTo(1));
    }

    [Test]
    public void An_exception_response_with_code_0_is_malformed()
    {
        var response = ModbusResponsePdu.DecodeReadRegisters(Hex.Bytes("83 00"), ModbusFunctionCode.ReadHoldingRegisters, new ushort[1]);

        Assert.That(response.Status, Is.EqualTo(ModbusDecodeStatus.Malformed));
        Assert.That(response.Offset, Is.EqualTo(1));
    }

    [TestCase("", 1)]
    [TestCase("03", 2)]
    [TestCase("83", 2)]
    [TestCase("03 06 02 2B 00 00 00", 8)]
    public void DecodeReadRegisters_reports_need_more_data_with_the_length_it_needs(string prefix, int needed)
    {
        var response = ModbusResponsePdu.DecodeReadRegisters(Hex.Bytes(prefix), ModbusFunctionCode.ReadHoldingRegisters, new ushort[3]);

        Assert.That(response.Status, Is.EqualTo(ModbusDecodeStatus.NeedMoreData));
        Assert.That(response.Length, Is.EqualTo(needed));
    }

    [Test]
    public void DecodeWriteSingleRegister_reports_need_more_data_until_the_echo_is_whole()
    {
        var response = ModbusResponsePdu.DecodeWriteSingleRegister(Hex.Bytes("06 00 01 00"), 1, 3);

        Assert.That(response.Status, Is.EqualTo(ModbusDecodeStatus.NeedMoreData));
        Assert.That(response.Length, Is.EqualTo(5));
    }

    [Test]
    public void EncodeReadRegisters_produces_the_read_holding_registers_example()
    {
        var pdu = new byte[ModbusPdu.MaxLength];

        int length = ModbusResponsePdu.EncodeReadRegisters(pdu, ModbusFunctionCode.ReadHoldingRegisters, [0x022B, 0x0000, 0x0064]);

        Assert.That(Hex.Of(pdu.AsSpan(0, length)), Is.EqualTo("0306022B00000064"));
    }

    [Test]
    public void EncodeReadRegisters_produces_the_read_input_register_example()
    {
        var pdu = new byte[ModbusPdu.MaxLength];

        int length = ModbusResponsePdu.EncodeReadRegisters(pdu, ModbusFunctionCode.ReadInputRegisters, [0x000A]);

        Assert.That(Hex.Of(pdu.AsSpan(0, length)), Is.EqualTo("0402000A"));
    }

    [Test]
    public void EncodeReadRegisters_fills_the_largest_pdu_with_125_registers()
    {
        var pdu = new byte[ModbusPdu.MaxLength];

        int length = ModbusResponsePdu.EncodeReadRegisters(pdu, ModbusFunctionCode.ReadHoldingRegisters, new ushort[ModbusPdu.MaxReadRegisters]);

        Assert.That(length, Is.EqualTo(ModbusPdu.MaxLength - 1));
    }

    [Test]
    public void EncodeWriteSingleRegister_echoes_the_request()
    {
        var pdu = new byte[5];

        ModbusResponsePdu.EncodeWriteSingleRegister(pdu, 0x0001, 0x0003);

        Assert.That(Hex.Of(pdu), Is.EqualTo("0600010003"));
    }

    [Test]
    public void EncodeWriteMultipleRegisters_produces_the_example_answer()
    {
        var pdu = new byte[5];

        ModbusResponsePdu.EncodeWriteMultipleRegisters(pdu, 0x0001, 2);

        Assert.That(Hex.Of(pdu), Is.EqualTo("1000010002"));
    }

    [Test]
    public void EncodeException_produces_the_exception_example()
    {
        var pdu = new byte[2];

        ModbusResponsePdu.EncodeException(pdu, ModbusFunctionCode.ReadHoldingRegisters, ModbusExceptionCode.IllegalDataAddress);

        Assert.That(Hex.Of(pdu), Is.EqualTo("8302"));
    }

    [Test]
    public void EncodeException_answers_an_unknown_function_with_its_own_code_flagged()
    {
        var pdu = new byte[2];

        ModbusResponsePdu.EncodeException(pdu, (ModbusFunctionCode)0x41, ModbusExceptionCode.IllegalFunction);

        Assert.That(Hex.Of(pdu), Is.EqualTo("C101"));
    }

    [Test]
    public void EncodeException_needs_an_exception_code()
    {
        Assert.That(() => ModbusResponsePdu.EncodeException(new byte[2], ModbusFunctionCode.ReadHoldingRegisters, ModbusExceptionCode.None),
            Throws.InstanceOf<ArgumentOutOfRangeException>());
    }
}
