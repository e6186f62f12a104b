namespace CivicEdge.Protocols.MBus.Tests;

/// <summary>Link layer (EN 13757-2 §5): the four frame formats, their checksum and the errors for damaged frames.</summary>
[Category("Unit")]
public sealed class MbusFramerTests
{
    [Test]
    public void Decode_recognises_the_single_character_acknowledgement()
    {
        var frame = MbusFramer.Decode([0xE5, 0x10]);

        Assert.That(frame.Status, Is.EqualTo(MbusDecodeStatus.Complete));
        Assert.That(frame.Type, Is.EqualTo(MbusFrameType.SingleCharacter));
        Assert.That(frame.Length, Is.EqualTo(1));
    }

    [Test]
    public void EncodeShort_writes_req_ud2_to_address_1_with_its_checksum()
    {
        var buffer = new byte[5];

        int length = MbusFramer.EncodeShort(buffer, MbusFramer.RequestUserData2 | MbusFramer.FrameCountBit, 0x01);

        Assert.That(Hex.Of(buffer.AsSpan(0, length)), Is.EqualTo("107B017C16"));
    }

    [Test]
    public void Decode_reads_a_short_frame_back()
    {
        var frame = MbusFramer.Decode(Hex.Bytes("10 40 FE 3E 16"));

        Assert.That(frame.Status, Is.EqualTo(MbusDecodeStatus.Complete), frame.Error);
        Assert.That(frame.Type, Is.EqualTo(MbusFrameType.Short));
        Assert.That(frame.Control, Is.EqualTo(MbusFramer.SendNke));
        Assert.That(frame.Address, Is.EqualTo(0xFE));
    }

    [Test]
    public void Decode_reads_a_control_frame()
    {
        var frame = MbusFramer.Decode(Hex.Bytes("68 03 03 68 53 FE 50 A1 16"));

        Assert.That(frame.Status, Is.EqualTo(MbusDecodeStatus.Complete), frame.Error);
        Assert.That(frame.Type, Is.EqualTo(MbusFrameType.Control));
        Assert.That(frame.ControlInformation, Is.EqualTo(0x50));
        Assert.That(frame.UserDataLength, Is.Zero);
    }

    [Test]
    public void Encode_and_decode_of_a_long_frame_round_trip()
    {
        var data = Hex.Bytes("08 05 73 FF FF FF FF FF FF FF");
        var buffer = new byte[MbusFramer.MaxFrameLength];

        int length = MbusFramer.EncodeLong(buffer, MbusFramer.SendUserData, 0xFD, 0x52, data);
        var frame = MbusFramer.Decode(buffer.AsSpan(0, length));

        Assert.That(frame.Status, Is.EqualTo(MbusDecodeStatus.Complete), frame.Error);
        Assert.That(frame.Type, Is.EqualTo(MbusFrameType.Long));
        Assert.That(frame.Length, Is.EqualTo(length));
        Assert.That(Hex.Of(frame.UserData(buffer)), Is.EqualTo(Hex.Of(data)));
        Assert.That(frame.ApplicationData(buffer)[0], Is.EqualTo(0x52));
    }

    [TestCase("")]
    [TestCase("10 5B 01")]
    [TestCase("68 1E")]
    [TestCase("68 1E 1E 68 08 02 72")]
    public void Decode_asks_for_more_bytes_of_a_valid_beginning(string hex)
    {
        Assert.That(MbusFramer.Decode(Hex.Bytes(hex)).Status, Is.EqualTo(MbusDecodeStatus.NeedMoreData));
    }

    [TestCase("10 5B 01 5D 16", "offset 3: expected checksum 5C of a short frame, found 5D")]
    [TestCase("10 5B 01 5C 17", "offset 4: expected stop character 16, found 17")]
    [TestCase("68 04 05 68", "offset 2: expected the repeated length field 04, found 05")]
    [TestCase("68 04 04 69", "offset 3: expected the second start character 68, found 69")]
    [TestCase("68 02 02 68", "offset 1: expected a length of at least 3 (C, A and CI fields), found 2")]
    [TestCase("68 04 04 68 08 01 70 08 82 16", "offset 8: expected checksum 81 over 4 bytes, found 82")]
    [TestCase("68 04 04 68 08 01 70 08 81 00", "offset 9: expected stop character 16, found 00")]
    [TestCase("A5", "offset 0: expected a start character E5, 10 or 68, found A5")]
    public void Decode_names_offset_expected_and_found_for_a_damaged_frame(string hex, string error)
    {
        var frame = MbusFramer.Decode(Hex.Bytes(hex));

        Assert.That(frame.Status, Is.EqualTo(MbusDecodeStatus.Malformed));
        Assert.That(frame.Error, Is.EqualTo(error));
    }

    [Test]
    public void Checksum_is_the_sum_modulo_256()
    {
        Assert.That(MbusFramer.Checksum([0xFF, 0x02, 0x80, 0x80]), Is.EqualTo(0x01));
    }
}
