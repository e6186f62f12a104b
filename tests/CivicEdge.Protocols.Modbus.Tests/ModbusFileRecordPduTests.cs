namespace CivicEdge.Protocols.Modbus.Tests;

/// <summary>
/// Golden vectors of functions 20 and 21 from Modbus Application Protocol V1.1b3 §6.14 (its first sub-request: file 4,
/// records 1..2) and §6.15 (file 4, records 7..9), and their RTU frames.
/// </summary>
[Category("Unit")]
public sealed class ModbusFileRecordPduTests
{
    private const string ReadRequest = "14 07 06 00 04 00 01 00 02";
    private const string ReadResponse = "14 06 05 06 0D FE 00 20";
    private const string WriteRequest = "15 0D 06 00 04 00 07 00 03 06 AF 04 BE 10 0D";

    private readonly byte[] _pdu = new byte[ModbusPdu.MaxLength];

    [Test]
    public void A_read_request_matches_the_example()
    {
        int length = ModbusFileRecordPdu.EncodeReadRequest(_pdu, 4, 1, 2);

        Assert.That(Hex.Of(_pdu.AsSpan(0, length)), Is.EqualTo(Hex.Of(Hex.Bytes(ReadRequest))));
    }

    [Test]
    public void A_read_response_of_the_example_yields_the_records_high_byte_first()
    {
        var records = new byte[4];

        var response = ModbusFileRecordPdu.DecodeReadResponse(Hex.Bytes(ReadResponse), records);

        Assert.That(response.Status, Is.EqualTo(ModbusDecodeStatus.Complete), response.ToString());
        Assert.That(response.Length, Is.EqualTo(8));
        Assert.That(Hex.Of(records), Is.EqualTo("0DFE0020"));
    }

    [Test]
    public void A_read_response_cut_short_needs_more_data()
    {
        var response = ModbusFileRecordPdu.DecodeReadResponse(Hex.Bytes(ReadResponse)[..5], new byte[4]);

        Assert.That(response.Status, Is.EqualTo(ModbusDecodeStatus.NeedMoreData));
        Assert.That(response.Length, Is.EqualTo(8));
    }

    [Test]
    public void A_read_response_with_the_wrong_record_count_is_malformed_and_says_what_it_expected()
    {
        var response = ModbusFileRecordPdu.DecodeReadResponse(Hex.Bytes("14 04 03 06 0D FE"), new byte[4]);

        Assert.That(response.Status, Is.EqualTo(ModbusDecodeStatus.Malformed));
        Assert.That(response.Reason, Does.Contain("expected a response data length of 6 for 2 records, found 4"));
    }

    [Test]
    public void A_read_response_with_another_reference_type_is_malformed()
    {
        var response = ModbusFileRecordPdu.DecodeReadResponse(Hex.Bytes("14 06 05 07 0D FE 00 20"), new byte[4]);

        Assert.That(response.Status, Is.EqualTo(ModbusDecodeStatus.Malformed));
        Assert.That(response.Offset, Is.EqualTo(3));
    }

    [Test]
    public void A_write_request_matches_the_example_and_its_echo_is_complete()
    {
        int length = ModbusFileRecordPdu.EncodeWriteRequest(_pdu, 4, 7, Hex.Bytes("06 AF 04 BE 10 0D"));

        Assert.That(Hex.Of(_pdu.AsSpan(0, length)), Is.EqualTo(Hex.Of(Hex.Bytes(WriteRequest))));
        var response = ModbusFileRecordPdu.DecodeWriteResponse(Hex.Bytes(WriteRequest), _pdu.AsSpan(0, length));
        Assert.That(response.Status, Is.EqualTo(ModbusDecodeStatus.Complete));
    }

    [Test]
    public void An_echo_that_differs_from_the_write_is_malformed_at_the_first_difference()
    {
        int length = ModbusFileRecordPdu.EncodeWriteRequest(_pdu, 4, 7, Hex.Bytes("06 AF 04 BE 10 0D"));

        var response = ModbusFileRecordPdu.DecodeWriteResponse(Hex.Bytes("15 0D 06 00 04 00 07 00 03 06 AF 04 BF 10 0D"), _pdu.AsSpan(0, length));

        Assert.That(response.Status, Is.EqualTo(ModbusDecodeStatus.Malformed));
        Assert.That(response.Offset, Is.EqualTo(12));
    }

    [Test]
    public void An_exception_response_decodes_to_its_code()
    {
        var response = ModbusFileRecordPdu.DecodeReadResponse(Hex.Bytes("94 02"), new byte[4]);

        Assert.That(response.ExceptionCode, Is.EqualTo(ModbusExceptionCode.IllegalDataAddress));
    }

    [Test]
    public void The_longest_write_fills_a_whole_pdu()
    {
        int length = ModbusFileRecordPdu.EncodeWriteRequest(_pdu, 1, 0, new byte[ModbusFileRecordPdu.MaxWriteBytes]);

        Assert.That(length, Is.EqualTo(ModbusPdu.MaxLength));
        Assert.That(_pdu[1], Is.EqualTo(0xFB));
    }

    [Test]
    public void Writes_that_do_not_fit_the_file_record_rules_are_refused_naming_the_rule()
    {
        Assert.That(() => ModbusFileRecordPdu.EncodeWriteRequest(_pdu, 1, 0, new byte[3]), Throws.ArgumentException.With.Message.Contains("even number of bytes"));
        Assert.That(() => ModbusFileRecordPdu.EncodeWriteRequest(_pdu, 0, 0, new byte[2]), Throws.InstanceOf<ArgumentOutOfRangeException>().With.Message.Contains("1..65535"));
        Assert.That(() => ModbusFileRecordPdu.EncodeWriteRequest(_pdu, 1, 9_999, new byte[4]), Throws.InstanceOf<ArgumentOutOfRangeException>().With.Message.Contains("9999"));
        Assert.That(() => ModbusFileRecordPdu.EncodeWriteRequest(_pdu, 1, 0, new byte[246]), Throws.InstanceOf<ArgumentOutOfRangeException>());
    }

    [Test]
    public void The_rtu_framer_measures_both_answers_by_their_data_length()
    {
        var read = WithCrc(0x11, Hex.Bytes(ReadResponse));
        var write = WithCrc(0x11, Hex.Bytes(WriteRequest));

        var readFrame = ModbusRtuFramer.FrameResponse([.. read, 0x11], 0x11, ModbusFunctionCode.ReadFileRecord);
        var writeFrame = ModbusRtuFramer.FrameResponse(write, 0x11, ModbusFunctionCode.WriteFileRecord);

        Assert.That((readFrame.Status, readFrame.Length), Is.EqualTo((ModbusDecodeStatus.Complete, read.Length)));
        Assert.That((writeFrame.Status, writeFrame.Length), Is.EqualTo((ModbusDecodeStatus.Complete, write.Length)));
        Assert.That(ModbusRtuFramer.FrameRequest(write).Status, Is.EqualTo(ModbusDecodeStatus.Complete));
    }

    private static byte[] WithCrc(byte unit, byte[] pdu)
    {
        var adu = new byte[ModbusRtuFramer.MaxAduLength];
        int length = ModbusRtuFramer.Encode(adu, unit, pdu);
        return adu[..length];
    }
}
