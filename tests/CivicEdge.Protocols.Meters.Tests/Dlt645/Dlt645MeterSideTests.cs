using CsCheck;
using CivicEdge.Protocols.Meters.Dlt645;

namespace CivicEdge.Protocols.Meters.Tests.Dlt645;

/// <summary>The meter's side, as a simulator uses it: read requests in, replies out, checked through the master's decoder.</summary>
[Category("Unit")]
public sealed class Dlt645MeterSideTests
{
    private static readonly MeterAddress Meter = MeterAddress.Parse("000102030425", 6);

    [Test]
    public void A_meter_reads_the_identifier_of_a_read_request_in_either_edition()
    {
        Gen.Select(Gen.UInt, Gen.UShort).Sample((di2007, di1997) =>
        {
            var buffer = new byte[64];
            int length = Dlt645Request.EncodeReadData(buffer, Meter, di2007);
            bool read2007 = Dlt645Request.TryDecodeReadData(Dlt645Framer.Decode(buffer.AsSpan(0, length)), buffer.AsSpan(0, length), Dlt645Version.V2007, out var got2007, out _);
            length = Dlt645Request.EncodeReadData1997(buffer, Meter, di1997);
            bool read1997 = Dlt645Request.TryDecodeReadData(Dlt645Framer.Decode(buffer.AsSpan(0, length)), buffer.AsSpan(0, length), Dlt645Version.V1997, out var got1997, out _);
            return read2007 && got2007 == di2007 && read1997 && got1997 == di1997;
        }, iter: 300);
    }

    [Test]
    public void A_2007_meter_refuses_a_1997_read_and_says_which_control_it_expected()
    {
        var buffer = new byte[64];
        int length = Dlt645Request.EncodeReadData1997(buffer, Meter, 0x9010);

        bool read = Dlt645Request.TryDecodeReadData(Dlt645Framer.Decode(buffer.AsSpan(0, length)), buffer.AsSpan(0, length), Dlt645Version.V2007, out _, out var reason);

        Assert.That(read, Is.False);
        Assert.That(reason, Does.Contain("11H").And.Contain("01H"));
    }

    [Test]
    public void EncodeData_reproduces_the_published_forward_active_energy_answer()
    {
        var buffer = new byte[64];
        Dlt645DataCatalog.TryFind2007(0x00010000, out var item);
        var value = new byte[4];
        item!.Encode(1206.42m, value);

        int length = Dlt645Reply.EncodeData(buffer, Meter, Dlt645Version.V2007, 0x00010000, value, preambleLength: 0);

        Assert.That(Hex.Of(buffer.AsSpan(0, length)), Is.EqualTo(Hex.Of(Hex.Bytes("68 25 04 03 02 01 00 68 91 08 33 33 34 33 75 39 45 33 8B 16"))));
    }

    [Test]
    public void EncodeData_reproduces_the_published_1997_voltage_answer()
    {
        var buffer = new byte[64];

        int length = Dlt645Reply.EncodeData(buffer, MeterAddress.Parse("3", 6), Dlt645Version.V1997, 0xB611, [0x00, 0x01], preambleLength: 0);

        Assert.That(Hex.Of(buffer.AsSpan(0, length)), Is.EqualTo(Hex.Of(Hex.Bytes("68 03 00 00 00 00 00 68 81 04 44 E9 33 34 EC 16"))));
    }

    [Test]
    public void Error_and_address_replies_decode_to_what_the_meter_sent()
    {
        var buffer = new byte[64];
        int length = Dlt645Reply.EncodeError(buffer, Meter, Dlt645Function.ReadData, Dlt645ErrorFlags.Unauthorized | Dlt645ErrorFlags.OtherError);
        Assert.That(Dlt645Reply.TryDecode(Dlt645Framer.Decode(buffer.AsSpan(0, length)), buffer.AsSpan(0, length), Dlt645Version.V2007, out var error, out var reason), Is.True, reason);
        length = Dlt645Reply.EncodeAddress(buffer, Meter);
        Assert.That(Dlt645Reply.TryDecode(Dlt645Framer.Decode(buffer.AsSpan(0, length)), buffer.AsSpan(0, length), Dlt645Version.V2007, out var address, out reason), Is.True, reason);

        Assert.That(error!.Errors, Is.EqualTo(Dlt645ErrorFlags.Unauthorized | Dlt645ErrorFlags.OtherError));
        Assert.That(address!.Kind, Is.EqualTo(Dlt645ReplyKind.Address));
        Assert.That(address.Address, Is.EqualTo(Meter));
    }

    [Test]
    public void A_follow_up_reply_keeps_its_sequence_number_out_of_the_value()
    {
        var buffer = new byte[64];
        // DI 00 01 00 00, value 1206.42 kWh, SEQ 02; a further follow-up announced by D5
        int length = Dlt645Framer.Encode(buffer, Meter, Dlt645Control.Response(Dlt645Function.ReadFollowUp, followUp: true),
            [0x00, 0x00, 0x01, 0x00, 0x42, 0x06, 0x12, 0x00, 0x02]);

        Assert.That(Dlt645Reply.TryDecode(Dlt645Framer.Decode(buffer.AsSpan(0, length)), buffer.AsSpan(0, length), Dlt645Version.V2007, out var reply, out var reason), Is.True, reason);
        Assert.That(reply!.TryReadValue(Dlt645Version.V2007, out _, out var value, out reason), Is.True, reason);

        Assert.That(reply.Control.Value, Is.EqualTo(0xB2));
        Assert.That(reply.Control.HasFollowUp, Is.True);
        Assert.That(reply.Sequence, Is.EqualTo(2));
        Assert.That(value, Is.EqualTo(1206.42m));
    }
}
