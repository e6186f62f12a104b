using CivicEdge.Protocols.Meters.CjT188;

namespace CivicEdge.Protocols.Meters.Tests.CjT188;

/// <summary>
/// CJ/T 188-2004 framing against a published read of a cold water meter (DI sent 1F 90) and its answer, and frames
/// whose checksums were summed by hand from the bytes (from 68H to before CS, modulo 256). The answer as published
/// prints CS 08H, but its bytes sum to 0713H: the golden frame carries the corrected 13H, and the printed one must be refused.
/// </summary>
[Category("Unit")]
public sealed class CjT188FramerTests
{
    private const string ReadMeterData = "68 10 44 33 22 11 00 33 78 01 03 1F 90 00 80 16";
    private const string MeterDataAnswer =
        "FE FE FE FE 68 10 44 33 22 11 00 33 78 81 16 1F 90 00 00 77 66 55 2C 00 77 66 55 2C 31 01 22 11 05 15 20 21 84 13 16";

    private static readonly MeterAddress Meter = MeterAddress.Parse("78330011223344", CjT188Framer.AddressLength);

    [Test]
    public void EncodeReadMeterData_produces_the_published_read_for_a_meter_sending_the_identifier_low_byte_first()
    {
        var buffer = new byte[64];

        int length = CjT188Request.EncodeReadMeterData(buffer, CjT188MeterType.ColdWater, Meter, CjT188IdentifierOrder.LowByteFirst, preambleLength: 0);

        Assert.That(Hex.Of(buffer.AsSpan(0, length)), Is.EqualTo(Hex.Of(Hex.Bytes(ReadMeterData))));
    }

    [Test]
    public void EncodeReadMeterData_sends_90_1F_for_a_meter_that_wants_the_identifier_as_printed()
    {
        var buffer = new byte[64];

        int length = CjT188Request.EncodeReadMeterData(buffer, CjT188MeterType.ColdWater, Meter, CjT188IdentifierOrder.HighByteFirst, preambleLength: 0);

        Assert.That(Hex.Of(buffer.AsSpan(0, length)), Is.EqualTo("68104433221100337801" + "03901F00" + "80" + "16"));
    }

    [Test]
    public void EncodeReadAddress_goes_to_type_AA_and_the_wildcard_address()
    {
        var buffer = new byte[64];

        int length = CjT188Request.EncodeReadAddress(buffer, CjT188IdentifierOrder.LowByteFirst, preambleLength: 0);

        Assert.That(Hex.Of(buffer.AsSpan(0, length)), Is.EqualTo("68AA" + "AAAAAAAAAAAAAA" + "03" + "03" + "0A8100" + "49" + "16"));
    }

    [Test]
    public void EncodeValveControl_closes_with_99H_under_identifier_A017()
    {
        var buffer = new byte[64];

        int length = CjT188Request.EncodeValveControl(buffer, CjT188MeterType.ColdWater, Meter, open: false, CjT188IdentifierOrder.LowByteFirst, preambleLength: 0);

        Assert.That(Hex.Of(buffer.AsSpan(0, length)), Is.EqualTo("68104433221100337804" + "04" + "17A000" + "99" + "25" + "16"));
    }

    [Test]
    public void Decode_reads_the_published_answer_as_556677_cubic_metres_with_a_closed_valve()
    {
        var bytes = Hex.Bytes(MeterDataAnswer);

        var frame = CjT188Framer.Decode(bytes);
        Assert.That(frame.Status, Is.EqualTo(MeterDecodeStatus.Complete), frame.ToString());
        Assert.That(CjT188Reply.TryDecode(frame, bytes, CjT188IdentifierOrder.LowByteFirst, out var reply, out var reason), Is.True, reason);
        Assert.That(CjT188MeterData.TryDecode(reply!.Payload, out var data, out reason), Is.True, reason);

        Assert.That(frame.Length, Is.EqualTo(bytes.Length));
        Assert.That(reply.MeterType, Is.EqualTo(CjT188MeterType.ColdWater));
        Assert.That(reply.Address, Is.EqualTo(Meter));
        Assert.That(reply.Identifier, Is.EqualTo(CjT188DataIdentifier.MeterData));
        Assert.That(data!.Current, Is.EqualTo(556677.00m));
        Assert.That(data.CurrentUnit, Is.EqualTo(CjT188Unit.CubicMetre));
        Assert.That(data.Settlement, Is.EqualTo(556677.00m));
        Assert.That(data.MeterTime, Is.EqualTo(new DateTime(2015, 5, 11, 22, 1, 31)));
        Assert.That(data.Status.Valve, Is.EqualTo(CjT188ValveState.Closed));
        Assert.That(data.Status.BatteryLow, Is.False);
        Assert.That(data.Status.St1, Is.EqualTo(0x84));
    }

    [Test]
    public void The_identifier_order_of_the_profile_decides_how_DI_is_read()
    {
        var bytes = Hex.Bytes(MeterDataAnswer);
        var frame = CjT188Framer.Decode(bytes);

        Assert.That(CjT188Reply.TryDecode(frame, bytes, CjT188IdentifierOrder.HighByteFirst, out var reply, out _), Is.True);

        Assert.That(reply!.Identifier, Is.EqualTo(0x1F90));
    }

    [Test]
    public void A_read_address_reply_in_the_other_byte_order_names_the_setting_to_check()
    {
        var buffer = new byte[64];
        int length = CjT188Framer.Encode(buffer, CjT188MeterType.ColdWater, Meter, CjT188Control.Response(CjT188Function.ReadAddress),
            CjT188DataIdentifier.Address, 0, [], CjT188IdentifierOrder.LowByteFirst);
        var frame = CjT188Framer.Decode(buffer.AsSpan(0, length));

        bool decoded = CjT188Reply.TryDecode(frame, buffer.AsSpan(0, length), CjT188IdentifierOrder.HighByteFirst, out _, out var reason);

        Assert.That(decoded, Is.False);
        Assert.That(reason, Does.Contain("0A81H").And.Contain("byte order"));
    }

    [Test]
    public void A_read_address_reply_gives_the_meter_address_and_type()
    {
        var buffer = new byte[64];
        int length = CjT188Framer.Encode(buffer, CjT188MeterType.Gas, Meter, CjT188Control.Response(CjT188Function.ReadAddress),
            CjT188DataIdentifier.Address, 7, [], CjT188IdentifierOrder.HighByteFirst);
        var frame = CjT188Framer.Decode(buffer.AsSpan(0, length));

        Assert.That(CjT188Reply.TryDecode(frame, buffer.AsSpan(0, length), CjT188IdentifierOrder.HighByteFirst, out var reply, out var reason), Is.True, reason);

        Assert.That(reply!.Kind, Is.EqualTo(CjT188ReplyKind.Address));
        Assert.That(reply.Address.Digits, Is.EqualTo("78330011223344"));
        Assert.That(reply.MeterType, Is.EqualTo(CjT188MeterType.Gas));
        Assert.That(reply.Serial, Is.EqualTo(7));
    }

    [Test]
    public void A_valve_reply_carries_the_valve_state()
    {
        var buffer = new byte[64];
        int length = CjT188Framer.Encode(buffer, CjT188MeterType.ColdWater, Meter, CjT188Control.Response(CjT188Function.WriteData),
            CjT188DataIdentifier.ValveControl, 0, [0x05, 0x00], CjT188IdentifierOrder.LowByteFirst);
        var frame = CjT188Framer.Decode(buffer.AsSpan(0, length));

        Assert.That(CjT188Reply.TryDecode(frame, buffer.AsSpan(0, length), CjT188IdentifierOrder.LowByteFirst, out var reply, out var reason), Is.True, reason);

        Assert.That(buffer[13], Is.EqualTo(0x84));
        Assert.That(reply!.Kind, Is.EqualTo(CjT188ReplyKind.WriteAcknowledgement));
        Assert.That(reply.Status!.Value.Valve, Is.EqualTo(CjT188ValveState.Closed));
        Assert.That(reply.Status.Value.BatteryLow, Is.True);
    }

    [Test]
    public void An_abnormal_reply_gives_its_serial_and_status()
    {
        var buffer = new byte[64];
        int length = CjT188Framer.Encode(buffer, CjT188MeterType.ColdWater, Meter, CjT188Control.Abnormal(CjT188Function.WriteData), [0x09, 0x03, 0x00]);
        var frame = CjT188Framer.Decode(buffer.AsSpan(0, length));

        Assert.That(CjT188Reply.TryDecode(frame, buffer.AsSpan(0, length), CjT188IdentifierOrder.LowByteFirst, out var reply, out var reason), Is.True, reason);

        Assert.That(reply!.Kind, Is.EqualTo(CjT188ReplyKind.Abnormal));
        Assert.That(reply.Serial, Is.EqualTo(9));
        Assert.That(reply.Status!.Value.Valve, Is.EqualTo(CjT188ValveState.Abnormal));
    }

    [Test]
    public void A_request_is_not_taken_for_a_reply()
    {
        var bytes = Hex.Bytes(ReadMeterData);

        bool decoded = CjT188Reply.TryDecode(CjT188Framer.Decode(bytes), bytes, CjT188IdentifierOrder.LowByteFirst, out _, out var reason);

        Assert.That(decoded, Is.False);
        Assert.That(reason, Does.Contain("01H"));
    }

    [TestCase(0)]
    [TestCase(4)]
    [TestCase(14)]
    [TestCase(30)]
    public void Decode_asks_for_more_bytes_while_the_frame_is_incomplete(int received)
    {
        var frame = CjT188Framer.Decode(Hex.Bytes(MeterDataAnswer).AsSpan(0, received));

        Assert.That(frame.Status, Is.EqualTo(MeterDecodeStatus.NeedMoreData));
        Assert.That(frame.Length, Is.GreaterThan(received));
    }

    [Test]
    public void Decode_refuses_the_answer_as_published_with_its_misprinted_checksum()
    {
        var bytes = Hex.Bytes(MeterDataAnswer);
        bytes[^2] = 0x08;

        var frame = CjT188Framer.Decode(bytes);

        Assert.That(frame.Error, Is.EqualTo(MeterFrameError.ChecksumMismatch));
        Assert.That(frame.Reason, Does.Contain("expected checksum 13H").And.Contain("found 08H"));
        Assert.That(frame.Offset, Is.EqualTo(bytes.Length - 2));
    }

    [Test]
    public void Decode_refuses_a_length_no_function_of_the_standard_sends()
    {
        var frame = CjT188Framer.Decode(Hex.Bytes("68 10 44 33 22 11 00 33 78 81 F0"));

        Assert.That(frame.Error, Is.EqualTo(MeterFrameError.InvalidLength));
        Assert.That(frame.Offset, Is.EqualTo(10));
    }

    [Test]
    public void Decode_reports_garbage_where_the_start_character_belongs()
    {
        var frame = CjT188Framer.Decode(Hex.Bytes("FE FE 55"));

        Assert.That(frame.Error, Is.EqualTo(MeterFrameError.InvalidStart));
        Assert.That(frame.Offset, Is.EqualTo(2));
    }

    [Test]
    public void Meter_data_with_an_unknown_unit_code_is_refused_rather_than_given_a_unit()
    {
        var payload = Hex.Bytes("00 77 66 55 2D 00 77 66 55 2C 31 01 22 11 05 15 20 21 84");

        bool decoded = CjT188MeterData.TryDecode(payload, out _, out var reason);

        Assert.That(decoded, Is.False);
        Assert.That(reason, Does.Contain("unit code").And.Contain("2DH").And.Contain("byte 4"));
    }

    [Test]
    public void Meter_data_with_a_flow_that_is_not_BCD_names_the_byte()
    {
        var payload = Hex.Bytes("00 77 66 55 2C 00 7A 66 55 2C 31 01 22 11 05 15 20 21 84");

        bool decoded = CjT188MeterData.TryDecode(payload, out _, out var reason);

        Assert.That(decoded, Is.False);
        Assert.That(reason, Does.Contain("settlement-date").And.Contain("byte 6").And.Contain("7AH"));
    }

    [Test]
    public void Meter_data_with_an_impossible_time_is_refused()
    {
        var payload = Hex.Bytes("00 77 66 55 2C 00 77 66 55 2C 31 01 22 31 02 15 20 21 84");

        bool decoded = CjT188MeterData.TryDecode(payload, out _, out var reason);

        Assert.That(decoded, Is.False);
        Assert.That(reason, Does.Contain("2015-02-31"));
    }

    [Test]
    public void Meter_data_without_a_clock_has_no_time()
    {
        var payload = Hex.Bytes("00 77 66 55 2C 00 77 66 55 2C 00 00 00 00 00 00 00 00 00");

        Assert.That(CjT188MeterData.TryDecode(payload, out var data, out var reason), Is.True, reason);

        Assert.That(data!.MeterTime, Is.Null);
        Assert.That(data.Status.Valve, Is.EqualTo(CjT188ValveState.Open));
    }

    [Test]
    public void Meter_data_of_the_wrong_length_is_refused()
    {
        bool decoded = CjT188MeterData.TryDecode(new byte[18], out _, out var reason);

        Assert.That(decoded, Is.False);
        Assert.That(reason, Does.Contain("expected 19").And.Contain("found 18"));
    }

    [Test]
    public void Unit_codes_map_to_symbols_and_factors()
    {
        Assert.That(CjT188UnitTable.TryDescribe(0x2C, out var cubicMetres, out var one), Is.True);
        Assert.That(CjT188UnitTable.TryDescribe(0x0A, out var megawattHours, out var hundred), Is.True);

        Assert.That((cubicMetres, one), Is.EqualTo(("m³", 1m)));
        Assert.That((megawattHours, hundred), Is.EqualTo(("MWh", 100m)));
        Assert.That(CjT188UnitTable.TryDescribe(0x00, out _, out _), Is.False);
    }
}
