namespace CivicEdge.Protocols.Modbus.Tests;

/// <summary>
/// Exception responses for every function code (Modbus Application Protocol V1.1b3 §7: function code | 0x80, then the
/// exception code). The §7 example answers a read of coil 1185 (01 04 A1 00 01) with 81 02, illegal data address.
/// </summary>
[Category("Unit")]
public sealed class ModbusExceptionResponseTests
{
    private readonly byte[] _pdu = new byte[ModbusPdu.MaxLength];

    [TestCase(ModbusFunctionCode.ReadCoils, ModbusExceptionCode.IllegalDataAddress, "8102")]
    [TestCase(ModbusFunctionCode.ReadDiscreteInputs, ModbusExceptionCode.IllegalDataValue, "8203")]
    [TestCase(ModbusFunctionCode.ReadHoldingRegisters, ModbusExceptionCode.IllegalDataAddress, "8302")]
    [TestCase(ModbusFunctionCode.ReadInputRegisters, ModbusExceptionCode.ServerDeviceFailure, "8404")]
    [TestCase(ModbusFunctionCode.WriteSingleCoil, ModbusExceptionCode.IllegalDataValue, "8503")]
    [TestCase(ModbusFunctionCode.WriteSingleRegister, ModbusExceptionCode.Acknowledge, "8605")]
    [TestCase(ModbusFunctionCode.WriteMultipleCoils, ModbusExceptionCode.ServerDeviceBusy, "8F06")]
    [TestCase(ModbusFunctionCode.WriteMultipleRegisters, ModbusExceptionCode.MemoryParityError, "9008")]
    [TestCase(ModbusFunctionCode.ReadWriteMultipleRegisters, ModbusExceptionCode.GatewayPathUnavailable, "970A")]
    [TestCase(ModbusFunctionCode.EncapsulatedInterfaceTransport, ModbusExceptionCode.GatewayTargetDeviceFailedToRespond, "AB0B")]
    [TestCase((ModbusFunctionCode)0x08, ModbusExceptionCode.IllegalFunction, "8801")]
    public void An_exception_response_is_the_function_code_with_the_high_bit_and_the_code(ModbusFunctionCode function, ModbusExceptionCode code, string hex)
    {
        int length = ModbusResponsePdu.EncodeException(_pdu, function, code);

        Assert.That(Hex.Of(_pdu.AsSpan(0, length)), Is.EqualTo(hex));
    }

    [TestCase("81 02")]
    [TestCase("82 02")]
    [TestCase("83 02")]
    [TestCase("84 02")]
    [TestCase("85 02")]
    [TestCase("86 02")]
    [TestCase("8F 02")]
    [TestCase("90 02")]
    [TestCase("97 02")]
    [TestCase("AB 02")]
    public void Every_decoder_reports_the_exception_response_to_its_function(string hex)
    {
        var pdu = Hex.Bytes(hex);
        var response = (ModbusFunctionCode)(pdu[0] & 0x7F) switch
        {
            ModbusFunctionCode.ReadCoils or ModbusFunctionCode.ReadDiscreteInputs =>
                ModbusResponsePdu.DecodeReadBits(pdu, (ModbusFunctionCode)(pdu[0] & 0x7F), new bool[8]),
            ModbusFunctionCode.ReadHoldingRegisters or ModbusFunctionCode.ReadInputRegisters =>
                ModbusResponsePdu.DecodeReadRegisters(pdu, (ModbusFunctionCode)(pdu[0] & 0x7F), new ushort[1]),
            ModbusFunctionCode.WriteSingleCoil => ModbusResponsePdu.DecodeWriteSingleCoil(pdu, 0, true),
            ModbusFunctionCode.WriteSingleRegister => ModbusResponsePdu.DecodeWriteSingleRegister(pdu, 0, 0),
            ModbusFunctionCode.WriteMultipleCoils => ModbusResponsePdu.DecodeWriteMultipleCoils(pdu, 0, 1),
            ModbusFunctionCode.WriteMultipleRegisters => ModbusResponsePdu.DecodeWriteMultipleRegisters(pdu, 0, 1),
            ModbusFunctionCode.ReadWriteMultipleRegisters => ModbusResponsePdu.DecodeReadWriteMultipleRegisters(pdu, new ushort[1]),
            _ => ModbusResponsePdu.DecodeReadDeviceIdentification(pdu, ModbusReadDeviceIdCode.Basic, new ModbusDeviceObjectLocation[ModbusResponsePdu.MaxDeviceObjects], out _),
        };

        Assert.That(response.Status, Is.EqualTo(ModbusDecodeStatus.Complete), response.ToString());
        Assert.That(response.IsException, Is.True);
        Assert.That(response.ExceptionCode, Is.EqualTo(ModbusExceptionCode.IllegalDataAddress));
        Assert.That(response.Length, Is.EqualTo(2));
    }

    [Test]
    public void The_section_7_example_is_a_valid_request_answered_with_illegal_data_address()
    {
        var request = ModbusRequestPdu.Decode(Hex.Bytes("01 04 A1 00 01"), new ushort[ModbusPdu.MaxWriteRegisters]);
        var response = ModbusResponsePdu.DecodeReadBits(Hex.Bytes("81 02"), ModbusFunctionCode.ReadCoils, new bool[1]);

        Assert.That(request.IsValid, Is.True, request.ToString());
        Assert.That(request.Address, Is.EqualTo(0x04A1));
        Assert.That(response.ExceptionCode, Is.EqualTo(ModbusExceptionCode.IllegalDataAddress));
    }

    [Test]
    public void The_rtu_frame_of_an_exception_response_is_five_bytes_with_its_crc()
    {
        var adu = new byte[ModbusRtuFramer.MaxAduLength];
        int pduLength = ModbusResponsePdu.EncodeException(adu.AsSpan(ModbusRtuFramer.PduOffset), ModbusFunctionCode.ReadInputRegisters, ModbusExceptionCode.IllegalDataAddress);

        int length = ModbusRtuFramer.WriteAddressAndCrc(adu, 0x0A, pduLength);
        var frame = ModbusRtuFramer.FrameResponse(adu.AsSpan(0, length), 0x0A, ModbusFunctionCode.ReadInputRegisters);

        Assert.That(length, Is.EqualTo(5));
        Assert.That(frame.IsException, Is.True, frame.ToString());
    }

    [Test]
    public void A_request_with_an_unknown_function_is_refused_with_illegal_function()
    {
        var request = ModbusRequestPdu.Decode(Hex.Bytes("08 00 00 A5 37"), new ushort[ModbusPdu.MaxWriteRegisters]);

        Assert.That(request.Rejection, Is.EqualTo(ModbusExceptionCode.IllegalFunction));
        Assert.That(request.Reason, Does.Contain("found 8 (0x08)"));
    }
}
