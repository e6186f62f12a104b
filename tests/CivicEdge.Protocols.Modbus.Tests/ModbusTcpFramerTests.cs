namespace CivicEdge.Protocols.Modbus.Tests;

/// <summary>MBAP framing per Modbus Messaging on TCP/IP Implementation Guide V1.0b §3.1.3.</summary>
[Category("Unit")]
public sealed class ModbusTcpFramerTests
{
    // Transaction 0x1501, protocol 0, length 6, unit 0x11, then the §6.3 read holding registers request.
    private const string ReadRequestAdu = "15 01 00 00 00 06 11 03 00 6B 00 03";

    [Test]
    public void WriteHeader_puts_the_mbap_header_in_front_of_a_pdu_encoded_in_place()
    {
        var adu = new byte[MbapHeader.MaxAduLength];
        int pduLength = ModbusRequestPdu.EncodeReadRegisters(adu.AsSpan(MbapHeader.Size), ModbusFunctionCode.ReadHoldingRegisters, 0x006B, 3);

        int length = ModbusTcpFramer.WriteHeader(adu, 0x1501, 0x11, pduLength);

        Assert.That(Hex.Of(adu.AsSpan(0, length)), Is.EqualTo(ReadRequestAdu.Replace(" ", "", StringComparison.Ordinal)));
    }

    [Test]
    public void WriteHeader_rejects_a_pdu_longer_than_253_bytes()
    {
        Assert.That(() => ModbusTcpFramer.WriteHeader(new byte[300], 1, 1, 254), Throws.InstanceOf<ArgumentOutOfRangeException>());
    }

    [Test]
    public void Frame_finds_a_complete_frame_and_its_header()
    {
        var bytes = Hex.Bytes(ReadRequestAdu);

        var frame = ModbusTcpFramer.Frame(bytes);

        Assert.That(frame.Status, Is.EqualTo(ModbusDecodeStatus.Complete), frame.ToString());
        Assert.That(frame.Length, Is.EqualTo(12));
        Assert.That(frame.Header, Is.EqualTo(new MbapHeader(0x1501, 0, 6, 0x11)));
        Assert.That(frame.Header.PduLength, Is.EqualTo(5));
        Assert.That(Hex.Of(frame.Pdu(bytes)), Is.EqualTo("03006B0003"));
    }

    [Test]
    public void Frame_reports_need_more_data_for_every_prefix_of_a_frame()
    {
        var bytes = Hex.Bytes(ReadRequestAdu);

        for (int received = 0; received < bytes.Length; received++)
        {
            var frame = ModbusTcpFramer.Frame(bytes.AsSpan(0, received));

            Assert.That(frame.Status, Is.EqualTo(ModbusDecodeStatus.NeedMoreData), $"after {received} bytes");
            Assert.That(frame.Length, Is.EqualTo(received < MbapHeader.Size ? MbapHeader.Size : 12), $"after {received} bytes");
        }
    }

    [Test]
    public void Frame_takes_only_the_first_of_two_frames_that_arrived_together()
    {
        var bytes = Hex.Bytes(ReadRequestAdu + " 15 02 00 00 00 06 11 03 00 6B 00 03");

        var first = ModbusTcpFramer.Frame(bytes);
        var second = ModbusTcpFramer.Frame(bytes.AsSpan(first.Length));

        Assert.That(first.Length, Is.EqualTo(12));
        Assert.That(first.Header.TransactionId, Is.EqualTo(0x1501));
        Assert.That(second.Header.TransactionId, Is.EqualTo(0x1502));
    }

    [Test]
    public void Frame_reports_a_protocol_identifier_other_than_0_as_soon_as_it_arrives()
    {
        var frame = ModbusTcpFramer.Frame(Hex.Bytes("15 01 00 01"));

        Assert.That(frame.Status, Is.EqualTo(ModbusDecodeStatus.Malformed));
        Assert.That(frame.Offset, Is.EqualTo(2));
        Assert.That(frame.Reason, Is.EqualTo("expected protocol identifier 0, found 1 (0x0001)"));
    }

    [TestCase("00 00", 0)]
    [TestCase("00 01", 1)]
    [TestCase("00 FF", 255)]
    [TestCase("FF FF", 65535)]
    public void Frame_reports_a_length_field_outside_2_to_254_as_malformed(string lengthField, int found)
    {
        var frame = ModbusTcpFramer.Frame(Hex.Bytes("15 01 00 00 " + lengthField));

        Assert.That(frame.Status, Is.EqualTo(ModbusDecodeStatus.Malformed));
        Assert.That(frame.Offset, Is.EqualTo(4));
        Assert.That(frame.Reason, Is.EqualTo($"expected a length field of 2..254 (unit identifier and PDU), found {found}"));
    }

    [Test]
    public void Frame_accepts_the_longest_frame()
    {
        var bytes = new byte[MbapHeader.MaxAduLength];
        ModbusTcpFramer.WriteHeader(bytes, 7, 1, ModbusPdu.MaxLength);

        var frame = ModbusTcpFramer.Frame(bytes);

        Assert.That(frame.Status, Is.EqualTo(ModbusDecodeStatus.Complete));
        Assert.That(frame.Length, Is.EqualTo(260));
    }

    [Test]
    public void Only_a_complete_frame_has_a_pdu()
    {
        var bytes = Hex.Bytes("15 01 00");

        Assert.That(() => ModbusTcpFramer.Frame(bytes).Pdu(bytes), Throws.InvalidOperationException);
    }
}
