namespace CivicEdge.Protocols.Modbus.Tests;

/// <summary>
/// RTU framing (MODBUS over Serial Line V1.02 §2.5.1). Golden frames: the serial line specification's own example
/// (01 03 00 00 00 0A C5 CD) and widely published frames whose CRC the specification's algorithm (§6.2.2) reproduces.
/// </summary>
[Category("Unit")]
public sealed class ModbusRtuFramerTests
{
    private const string ReadTenRegisters = "01 03 00 00 00 0A C5 CD";
    private const string TenRegistersAnswer = "01 03 14 00 01 00 02 00 03 00 04 00 05 00 06 00 07 00 08 00 09 00 0A 8F 16";
    private const string ThreeRegistersAnswer = "11 03 06 AE 41 56 52 43 40 49 AD";
    private const string IllegalAddressAnswer = "01 83 02 C0 F1";

    [Test]
    public void Encode_produces_the_serial_line_specification_example()
    {
        var pdu = new byte[5];
        ModbusRequestPdu.EncodeReadRegisters(pdu, ModbusFunctionCode.ReadHoldingRegisters, 0, 10);
        var adu = new byte[ModbusRtuFramer.MaxAduLength];

        int length = ModbusRtuFramer.Encode(adu, 1, pdu);

        Assert.That(Hex.Of(adu.AsSpan(0, length)), Is.EqualTo(Hex.Of(Hex.Bytes(ReadTenRegisters))));
    }

    [Test]
    public void WriteAddressAndCrc_wraps_a_pdu_encoded_in_place()
    {
        var adu = new byte[16];
        int pduLength = ModbusRequestPdu.EncodeWriteSingleRegister(adu.AsSpan(ModbusRtuFramer.PduOffset), 0x0001, 0x0003);

        int length = ModbusRtuFramer.WriteAddressAndCrc(adu, 0x11, pduLength);

        Assert.That(Hex.Of(adu.AsSpan(0, length)), Is.EqualTo("110600010003" + "9A9B"));
    }

    [Test]
    public void Encode_refuses_a_buffer_too_small_for_the_adu()
    {
        Assert.That(() => ModbusRtuFramer.Encode(new byte[7], 1, new byte[5]), Throws.ArgumentException);
    }

    [Test]
    public void FrameRequest_frames_the_specification_example()
    {
        var bytes = Hex.Bytes(ReadTenRegisters);

        var frame = ModbusRtuFramer.FrameRequest(bytes);

        Assert.That(frame.Status, Is.EqualTo(ModbusDecodeStatus.Complete), frame.ToString());
        Assert.That(frame.Length, Is.EqualTo(8));
        Assert.That(frame.UnitId, Is.EqualTo(1));
        Assert.That(frame.Function, Is.EqualTo(ModbusFunctionCode.ReadHoldingRegisters));
        Assert.That(Hex.Of(frame.Pdu(bytes)), Is.EqualTo("030000000A"));
    }

    [Test]
    public void FrameResponse_frames_a_read_answer_by_its_byte_count()
    {
        var bytes = Hex.Bytes(TenRegistersAnswer);

        var frame = ModbusRtuFramer.FrameResponse(bytes, 1, ModbusFunctionCode.ReadHoldingRegisters);

        Assert.That(frame.Status, Is.EqualTo(ModbusDecodeStatus.Complete), frame.ToString());
        Assert.That(frame.Length, Is.EqualTo(25));
        Assert.That(frame.Pdu(bytes).Length, Is.EqualTo(22));
    }

    [Test]
    public void FrameResponse_frames_an_exception_response_as_five_bytes()
    {
        var frame = ModbusRtuFramer.FrameResponse(Hex.Bytes(IllegalAddressAnswer), 1, ModbusFunctionCode.ReadHoldingRegisters);

        Assert.That(frame.Status, Is.EqualTo(ModbusDecodeStatus.Complete), frame.ToString());
        Assert.That(frame.Length, Is.EqualTo(5));
        Assert.That(frame.IsException, Is.True);
    }

    [TestCase("11 06 00 01 00 03")]
    [TestCase("11 05 00 AC FF 00")]
    [TestCase("11 0F 00 13 00 0A")]
    [TestCase("11 10 00 01 00 02")]
    [TestCase("11 17 0C 00 FE 0A CD 00 01 00 03 00 0D 00 FF")]
    [TestCase("11 01 03 CD 6B 05")]
    [TestCase("11 02 03 AC DB 35")]
    [TestCase("11 04 02 00 0A")]
    [TestCase("11 2B 0E 01 01 00 00 03 00 05 43 69 76 69 63 01 02 43 45 02 03 30 2E 31")]
    [TestCase("11 2B 0E 01 01 00 00 00")]
    public void FrameResponse_works_out_the_length_of_every_function_code(string withoutCrc)
    {
        var bytes = WithCrc(withoutCrc);

        var frame = ModbusRtuFramer.FrameResponse([.. bytes, 0x11, 0x03]);

        Assert.That(frame.Status, Is.EqualTo(ModbusDecodeStatus.Complete), frame.ToString());
        Assert.That(frame.Length, Is.EqualTo(bytes.Length));
    }

    [TestCase("11 01 00 13 00 13")]
    [TestCase("11 02 00 C4 00 16")]
    [TestCase("11 03 00 6B 00 03")]
    [TestCase("11 04 00 08 00 01")]
    [TestCase("11 05 00 AC FF 00")]
    [TestCase("11 06 00 01 00 03")]
    [TestCase("11 0F 00 13 00 0A 02 CD 01")]
    [TestCase("11 10 00 01 00 02 04 00 0A 01 02")]
    [TestCase("11 17 00 03 00 06 00 0E 00 03 06 00 FF 00 FF 00 FF")]
    [TestCase("11 2B 0E 01 00")]
    [TestCase("00 10 00 01 00 01 02 00 0A")]
    public void FrameRequest_works_out_the_length_of_every_function_code(string withoutCrc)
    {
        var bytes = WithCrc(withoutCrc);

        var frame = ModbusRtuFramer.FrameRequest([.. bytes, 0x11]);

        Assert.That(frame.Status, Is.EqualTo(ModbusDecodeStatus.Complete), frame.ToString());
        Assert.That(frame.Length, Is.EqualTo(bytes.Length));
    }

    [Test]
    public void A_frame_split_anywhere_needs_more_data_until_its_last_byte()
    {
        var bytes = Hex.Bytes(TenRegistersAnswer);

        for (int split = 0; split < bytes.Length; split++)
        {
            var frame = ModbusRtuFramer.FrameResponse(bytes.AsSpan(0, split), 1, ModbusFunctionCode.ReadHoldingRegisters);

            Assert.That(frame.Status, Is.EqualTo(ModbusDecodeStatus.NeedMoreData), $"after {split} bytes");
            Assert.That(frame.Length, Is.InRange(split + 1, bytes.Length), $"after {split} bytes");
            Assert.That(frame.MoreBytesNeeded, Is.EqualTo(frame.Length - split));
        }
    }

    [Test]
    public void Concatenated_frames_are_framed_one_after_the_other()
    {
        byte[] bytes = [.. Hex.Bytes(ThreeRegistersAnswer), .. Hex.Bytes(IllegalAddressAnswer)];

        var first = ModbusRtuFramer.FrameResponse(bytes);
        var second = ModbusRtuFramer.FrameResponse(bytes.AsSpan(first.Length));

        Assert.That(first.Status, Is.EqualTo(ModbusDecodeStatus.Complete), first.ToString());
        Assert.That(first.Length, Is.EqualTo(11));
        Assert.That(second.Status, Is.EqualTo(ModbusDecodeStatus.Complete), second.ToString());
        Assert.That(second.UnitId, Is.EqualTo(1));
    }

    [Test]
    public void A_wrong_crc_is_reported_as_a_crc_mismatch_at_the_crc()
    {
        var bytes = Hex.Bytes(ThreeRegistersAnswer);
        bytes[^1] ^= 0x01;

        var frame = ModbusRtuFramer.FrameResponse(bytes, 0x11, ModbusFunctionCode.ReadHoldingRegisters);

        Assert.That(frame.Status, Is.EqualTo(ModbusDecodeStatus.Malformed));
        Assert.That(frame.Error, Is.EqualTo(ModbusRtuFrameError.CrcMismatch));
        Assert.That(frame.Offset, Is.EqualTo(9));
        Assert.That(frame.Reason, Does.Contain("0xAD49").And.Contain("0xAC49"));
    }

    [Test]
    public void An_answer_from_another_unit_is_unexpected_as_soon_as_its_address_arrives()
    {
        var frame = ModbusRtuFramer.FrameResponse(Hex.Bytes("02"), 1);

        Assert.That(frame.Error, Is.EqualTo(ModbusRtuFrameError.UnexpectedUnit));
        Assert.That(frame.Reason, Does.Contain("unit 1").And.Contain("unit 2"));
    }

    [Test]
    public void An_answer_from_the_broadcast_address_is_unexpected()
    {
        var frame = ModbusRtuFramer.FrameResponse(Hex.Bytes("00 03 02 00 01"));

        Assert.That(frame.Error, Is.EqualTo(ModbusRtuFrameError.UnexpectedUnit));
    }

    [Test]
    public void An_answer_to_another_function_is_unexpected()
    {
        var frame = ModbusRtuFramer.FrameResponse(Hex.Bytes("01 04 02"), 1, ModbusFunctionCode.ReadHoldingRegisters);

        Assert.That(frame.Error, Is.EqualTo(ModbusRtuFrameError.UnexpectedFunction));
        Assert.That(frame.Offset, Is.EqualTo(1));
    }

    [TestCase("01 03 07", 2)]
    [TestCase("01 03 00", 2)]
    [TestCase("01 01 FB", 2)]
    [TestCase("01 2B 0D", 2)]
    [TestCase("01 41", 1)]
    public void An_impossible_response_head_is_malformed_where_it_goes_wrong(string head, int offset)
    {
        var frame = ModbusRtuFramer.FrameResponse(Hex.Bytes(head));

        Assert.That(frame.Status, Is.EqualTo(ModbusDecodeStatus.Malformed));
        Assert.That(frame.Offset, Is.EqualTo(offset), frame.ToString());
    }

    [Test]
    public void A_request_with_a_byte_count_beyond_the_largest_adu_is_malformed()
    {
        var frame = ModbusRtuFramer.FrameRequest(Hex.Bytes("01 10 00 00 00 7B F8"));

        Assert.That(frame.Error, Is.EqualTo(ModbusRtuFrameError.InvalidLength));
        Assert.That(frame.Offset, Is.EqualTo(6));
    }

    [Test]
    public void A_request_with_an_unknown_function_code_is_unexpected_but_frames_at_silence()
    {
        var bytes = WithCrc("01 08 00 00 A5 37");

        var byLength = ModbusRtuFramer.FrameRequest(bytes);
        var bySilence = ModbusRtuFramer.FrameAtSilence(bytes);

        Assert.That(byLength.Error, Is.EqualTo(ModbusRtuFrameError.UnexpectedFunction));
        Assert.That(bySilence.Status, Is.EqualTo(ModbusDecodeStatus.Complete));
        Assert.That(bySilence.Function, Is.EqualTo((ModbusFunctionCode)0x08));
    }

    [Test]
    public void Resynchronisation_skips_garbage_in_front_of_a_frame_and_counts_it()
    {
        byte[] bytes = [0xFF, 0x00, 0x13, 0x37, 0x01, .. Hex.Bytes(ThreeRegistersAnswer)];

        var atFront = ModbusRtuFramer.FrameResponse(bytes, 0x11, ModbusFunctionCode.ReadHoldingRegisters);
        var resync = ModbusRtuFramer.ResynchroniseResponse(bytes, 0x11, ModbusFunctionCode.ReadHoldingRegisters);

        Assert.That(atFront.Status, Is.EqualTo(ModbusDecodeStatus.Malformed));
        Assert.That(resync.Skipped, Is.EqualTo(5));
        Assert.That(resync.Found, Is.True);
        Assert.That(resync.Frame.Length, Is.EqualTo(11));
    }

    [Test]
    public void Resynchronisation_after_a_bad_crc_finds_the_next_good_frame()
    {
        var damaged = Hex.Bytes(TenRegistersAnswer);
        damaged[10] ^= 0x40;
        byte[] bytes = [.. damaged, .. Hex.Bytes(TenRegistersAnswer)];

        var atFront = ModbusRtuFramer.FrameResponse(bytes, 1, ModbusFunctionCode.ReadHoldingRegisters);
        var resync = ModbusRtuFramer.ResynchroniseResponse(bytes, 1, ModbusFunctionCode.ReadHoldingRegisters);

        Assert.That(atFront.Error, Is.EqualTo(ModbusRtuFrameError.CrcMismatch));
        Assert.That(resync.Skipped, Is.EqualTo(25));
        Assert.That(resync.Found, Is.True);
    }

    [Test]
    public void Resynchronisation_keeps_a_plausible_beginning_that_has_not_fully_arrived()
    {
        byte[] bytes = [0x55, 0xAA, .. Hex.Bytes("01 03 14 00 01")];

        var resync = ModbusRtuFramer.ResynchroniseResponse(bytes, 1, ModbusFunctionCode.ReadHoldingRegisters);

        Assert.That(resync.Skipped, Is.EqualTo(2));
        Assert.That(resync.Found, Is.False);
        Assert.That(resync.Frame.Status, Is.EqualTo(ModbusDecodeStatus.NeedMoreData));
        Assert.That(resync.Frame.Length, Is.EqualTo(25));
    }

    [Test]
    public void Resynchronisation_skips_everything_when_no_offset_can_start_a_frame()
    {
        var resync = ModbusRtuFramer.ResynchroniseResponse(Hex.Bytes("55 AA 55 AA"), 1, ModbusFunctionCode.ReadHoldingRegisters);

        Assert.That(resync.Skipped, Is.EqualTo(4));
        Assert.That(resync.Found, Is.False);
    }

    [Test]
    public void Resynchronisation_finds_an_exception_answer_to_a_function_this_stack_cannot_frame()
    {
        byte[] bytes = [0x00, 0x42, .. WithCrc("01 88 01")];

        var resync = ModbusRtuFramer.ResynchroniseResponse(bytes);

        Assert.That(resync.Skipped, Is.EqualTo(2));
        Assert.That(resync.Found, Is.True);
        Assert.That(resync.Frame.IsException, Is.True);
    }

    [Test]
    public void Request_resynchronisation_finds_the_request_behind_line_noise()
    {
        byte[] bytes = [0x00, 0xFF, .. Hex.Bytes(ReadTenRegisters)];

        var resync = ModbusRtuFramer.ResynchroniseRequest(bytes);

        Assert.That(resync.Skipped, Is.EqualTo(2));
        Assert.That(resync.Found, Is.True);
        Assert.That(resync.Frame.UnitId, Is.EqualTo(1));
    }

    [Test]
    public void A_truncated_frame_at_silence_is_a_crc_mismatch()
    {
        var frame = ModbusRtuFramer.FrameAtSilence(Hex.Bytes("01 03 00 00 00 0A C5"));

        Assert.That(frame.Error, Is.EqualTo(ModbusRtuFrameError.CrcMismatch));
    }

    private static byte[] WithCrc(string withoutCrc)
    {
        var body = Hex.Bytes(withoutCrc);
        var adu = new byte[body.Length + 2];
        body.CopyTo(adu, 0);
        ModbusCrc16.Write(adu.AsSpan(body.Length), ModbusCrc16.Compute(body));
        return adu;
    }
}
