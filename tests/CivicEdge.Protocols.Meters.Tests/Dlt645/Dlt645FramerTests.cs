using CivicEdge.Protocols.Meters.Dlt645;

namespace CivicEdge.Protocols.Meters.Tests.Dlt645;

/// <summary>
/// DL/T 645 framing against golden frames: the read-address frame every installer knows (68 AA..AA 68 13 00 DF 16),
/// widely published 2007 and 1997 read frames, each checksum recomputed by hand from the bytes (sum from the first 68H).
/// </summary>
[Category("Unit")]
public sealed class Dlt645FramerTests
{
    private const string ReadForwardActiveEnergy = "68 25 04 03 02 01 00 68 11 04 33 33 34 33 E1 16";
    private const string ForwardActiveEnergyAnswer = "68 25 04 03 02 01 00 68 91 08 33 33 34 33 75 39 45 33 8B 16";
    private const string ReadAddress = "68 AA AA AA AA AA AA 68 13 00 DF 16";
    private const string Read1997PhaseAVoltage = "68 03 00 00 00 00 00 68 01 02 44 E9 03 16";
    private const string PhaseAVoltageAnswer1997 = "68 03 00 00 00 00 00 68 81 04 44 E9 33 34 EC 16";
    private const string Read1997ForwardActiveEnergy = "68 63 01 43 03 00 00 68 01 02 43 C3 83 16";

    private static MeterAddress Address(string digits) => MeterAddress.Parse(digits, Dlt645Framer.AddressLength);

    [Test]
    public void EncodeReadData_produces_the_published_read_of_forward_active_energy()
    {
        var buffer = new byte[64];

        int length = Dlt645Request.EncodeReadData(buffer, Address("000102030425"), 0x00010000, preambleLength: 0);

        Assert.That(Hex.Of(buffer.AsSpan(0, length)), Is.EqualTo(Hex.Of(Hex.Bytes(ReadForwardActiveEnergy))));
    }

    [Test]
    public void EncodeReadData_puts_four_wake_up_bytes_before_the_frame_by_default()
    {
        var buffer = new byte[64];

        int length = Dlt645Request.EncodeReadData(buffer, Address("000102030425"), 0x00010000);

        Assert.That(Hex.Of(buffer.AsSpan(0, length)), Is.EqualTo("FEFEFEFE" + Hex.Of(Hex.Bytes(ReadForwardActiveEnergy))));
    }

    [Test]
    public void EncodeReadAddress_produces_the_wildcard_read_address_frame()
    {
        var buffer = new byte[64];

        int length = Dlt645Request.EncodeReadAddress(buffer, preambleLength: 0);

        Assert.That(Hex.Of(buffer.AsSpan(0, length)), Is.EqualTo(Hex.Of(Hex.Bytes(ReadAddress))));
    }

    [Test]
    public void EncodeReadData1997_produces_the_published_1997_reads()
    {
        var buffer = new byte[64];

        int voltage = Dlt645Request.EncodeReadData1997(buffer, Address("000000000003"), 0xB611, preambleLength: 0);
        var voltageHex = Hex.Of(buffer.AsSpan(0, voltage));
        int energy = Dlt645Request.EncodeReadData1997(buffer, Address("000003430163"), 0x9010, preambleLength: 0);

        Assert.That(voltageHex, Is.EqualTo(Hex.Of(Hex.Bytes(Read1997PhaseAVoltage))));
        Assert.That(Hex.Of(buffer.AsSpan(0, energy)), Is.EqualTo(Hex.Of(Hex.Bytes(Read1997ForwardActiveEnergy))));
    }

    [Test]
    public void Decode_reads_the_forward_active_energy_answer_as_1206_42_kWh()
    {
        var bytes = Hex.Bytes("FE FE FE FE " + ForwardActiveEnergyAnswer);

        var frame = Dlt645Framer.Decode(bytes);
        Assert.That(frame.Status, Is.EqualTo(MeterDecodeStatus.Complete), frame.ToString());
        Assert.That(Dlt645Reply.TryDecode(frame, bytes, Dlt645Version.V2007, out var reply, out var reason), Is.True, reason);
        Assert.That(reply!.TryReadValue(Dlt645Version.V2007, out var item, out var value, out reason), Is.True, reason);

        Assert.That(frame.Length, Is.EqualTo(bytes.Length));
        Assert.That(frame.Start, Is.EqualTo(4));
        Assert.That(reply.Address.Digits, Is.EqualTo("000102030425"));
        Assert.That(reply.Kind, Is.EqualTo(Dlt645ReplyKind.Data));
        Assert.That(reply.Identifier, Is.EqualTo(0x00010000u));
        Assert.That(item!.Quantity, Is.EqualTo("forward active energy total"));
        Assert.That(item.Unit, Is.EqualTo("kWh"));
        Assert.That(value, Is.EqualTo(1206.42m));
    }

    [Test]
    public void Decode_reads_the_1997_phase_A_voltage_answer_as_100_V()
    {
        var bytes = Hex.Bytes(PhaseAVoltageAnswer1997);

        var frame = Dlt645Framer.Decode(bytes);
        Assert.That(Dlt645Reply.TryDecode(frame, bytes, Dlt645Version.V1997, out var reply, out var reason), Is.True, reason);
        Assert.That(reply!.TryReadValue(Dlt645Version.V1997, out var item, out var value, out reason), Is.True, reason);

        Assert.That(reply.Identifier, Is.EqualTo(0xB611u));
        Assert.That(item!.Unit, Is.EqualTo("V"));
        Assert.That(value, Is.EqualTo(100m));
    }

    [Test]
    public void Decode_reads_an_abnormal_reply_with_its_error_byte()
    {
        var buffer = new byte[32];
        int length = Dlt645Framer.Encode(buffer, Address("000102030425"), Dlt645Control.Abnormal(Dlt645Function.ReadData), [0x02], preambleLength: 0);
        var bytes = buffer[..length];

        var frame = Dlt645Framer.Decode(bytes);
        Assert.That(Dlt645Reply.TryDecode(frame, bytes, Dlt645Version.V2007, out var reply, out var reason), Is.True, reason);

        Assert.That(Hex.Of(bytes.AsSpan(8, 3)), Is.EqualTo("D10135"));
        Assert.That(reply!.Kind, Is.EqualTo(Dlt645ReplyKind.Error));
        Assert.That(reply.Errors, Is.EqualTo(Dlt645ErrorFlags.NoRequestedData));
        Assert.That(reply.Control.IsAbnormal, Is.True);
    }

    [Test]
    public void Decode_reads_the_meter_address_out_of_a_read_address_reply()
    {
        var buffer = new byte[32];
        Span<byte> address = stackalloc byte[6];
        Address("201712310042").WriteTo(address);
        int length = Dlt645Framer.Encode(buffer, Address("201712310042"), Dlt645Control.Response(Dlt645Function.ReadAddress), address);
        var bytes = buffer[..length];

        var frame = Dlt645Framer.Decode(bytes);
        Assert.That(Dlt645Reply.TryDecode(frame, bytes, Dlt645Version.V2007, out var reply, out var reason), Is.True, reason);

        Assert.That(bytes[12], Is.EqualTo(0x93));
        Assert.That(reply!.Kind, Is.EqualTo(Dlt645ReplyKind.Address));
        Assert.That(reply.Address.Digits, Is.EqualTo("201712310042"));
    }

    [Test]
    public void TryDecode_refuses_a_request_as_a_reply()
    {
        var bytes = Hex.Bytes(ReadForwardActiveEnergy);

        bool decoded = Dlt645Reply.TryDecode(Dlt645Framer.Decode(bytes), bytes, Dlt645Version.V2007, out _, out var reason);

        Assert.That(decoded, Is.False);
        Assert.That(reason, Does.Contain("expected a reply").And.Contain("11H"));
    }

    [Test]
    public void Broadcast_time_goes_to_the_nines_address_and_reads_back()
    {
        var buffer = new byte[32];
        var time = new DateTime(2026, 11, 29, 0, 37, 5);

        int length = Dlt645Request.EncodeBroadcastTime(buffer, time, preambleLength: 0);
        var frame = Dlt645Framer.Decode(buffer.AsSpan(0, length));
        Assert.That(Dlt645Request.TryDecodeBroadcastTime(frame.Data(buffer), out var decoded, out var reason), Is.True, reason);

        // ss mm hh DD MM YY, each + 33H
        Assert.That(Hex.Of(buffer.AsSpan(0, length)), Does.StartWith("68999999999999680806" + "386A335C4459"));
        Assert.That(frame.Control.Function, Is.EqualTo(Dlt645Function.BroadcastTime));
        Assert.That(decoded, Is.EqualTo(time));
    }

    [Test]
    public void TryDecodeBroadcastTime_names_an_impossible_date()
    {
        bool decoded = Dlt645Request.TryDecodeBroadcastTime([0x00, 0x00, 0x00, 0x31, 0x02, 0x26], out _, out var reason);

        Assert.That(decoded, Is.False);
        Assert.That(reason, Does.Contain("2026-02-31"));
    }

    [TestCase(0)]
    [TestCase(3)]
    [TestCase(9)]
    [TestCase(15)]
    public void Decode_asks_for_more_bytes_while_the_frame_is_incomplete(int received)
    {
        var bytes = Hex.Bytes("FE FE " + ForwardActiveEnergyAnswer);

        var frame = Dlt645Framer.Decode(bytes.AsSpan(0, received));

        Assert.That(frame.Status, Is.EqualTo(MeterDecodeStatus.NeedMoreData));
        Assert.That(frame.Length, Is.GreaterThan(received));
    }

    [Test]
    public void Decode_reports_a_wrong_checksum_with_the_expected_value()
    {
        var bytes = Hex.Bytes(ForwardActiveEnergyAnswer);
        bytes[^2] = 0x8C;

        var frame = Dlt645Framer.Decode(bytes);

        Assert.That(frame.Status, Is.EqualTo(MeterDecodeStatus.Malformed));
        Assert.That(frame.Error, Is.EqualTo(MeterFrameError.ChecksumMismatch));
        Assert.That(frame.Reason, Does.Contain("8BH").And.Contain("8CH"));
        Assert.That(frame.Offset, Is.EqualTo(bytes.Length - 2));
    }

    [Test]
    public void Decode_reports_a_missing_end_character()
    {
        var bytes = Hex.Bytes(ReadAddress);
        bytes[^1] = 0x17;

        var frame = Dlt645Framer.Decode(bytes);

        Assert.That(frame.Error, Is.EqualTo(MeterFrameError.InvalidEnd));
        Assert.That(frame.Reason, Does.Contain("16H").And.Contain("17H"));
    }

    [Test]
    public void Decode_reports_garbage_where_the_start_character_belongs()
    {
        var frame = Dlt645Framer.Decode(Hex.Bytes("FE 00 68"));

        Assert.That(frame.Error, Is.EqualTo(MeterFrameError.InvalidStart));
        Assert.That(frame.Offset, Is.EqualTo(1));
    }

    [Test]
    public void Decode_reports_a_missing_second_start_character_without_waiting_for_the_rest()
    {
        var frame = Dlt645Framer.Decode(Hex.Bytes("68 AA AA AA AA AA AA 00 13 00"));

        Assert.That(frame.Error, Is.EqualTo(MeterFrameError.InvalidStart));
        Assert.That(frame.Offset, Is.EqualTo(7));
    }

    [Test]
    public void Decode_refuses_a_data_length_beyond_200()
    {
        var frame = Dlt645Framer.Decode(Hex.Bytes("68 AA AA AA AA AA AA 68 91 C9"));

        Assert.That(frame.Error, Is.EqualTo(MeterFrameError.InvalidLength));
        Assert.That(frame.Reason, Does.Contain("201"));
    }

    [Test]
    public void Decode_refuses_an_address_with_a_nibble_that_is_not_BCD()
    {
        var buffer = new byte[32];
        int length = Dlt645Request.EncodeReadAddress(buffer, preambleLength: 0);
        buffer[3] = 0x1F;
        buffer[length - 2] = MeterChecksum.Compute(buffer.AsSpan(0, length - 2));

        var frame = Dlt645Framer.Decode(buffer.AsSpan(0, length));

        Assert.That(frame.Error, Is.EqualTo(MeterFrameError.InvalidAddress));
        Assert.That(frame.Reason, Does.Contain("A2").And.Contain("1FH"));
    }

    [Test]
    public void A_wildcard_address_matches_every_meter_and_a_full_one_only_itself()
    {
        var meter = Address("000102030425");

        Assert.That(MeterAddress.Wildcard(6).Matches(meter), Is.True);
        Assert.That(Address("AAAAAAAA0425").Matches(meter), Is.True);
        Assert.That(Address("000102030426").Matches(meter), Is.False);
    }
}
