using CivicEdge.Protocols.Meters.CjT188;

namespace CivicEdge.Protocols.Meters.Tests.CjT188;

/// <summary>The meter's side, as a simulator uses it: valve commands in, replies out, checked through the master's decoder.</summary>
[Category("Unit")]
public sealed class CjT188MeterSideTests
{
    private static readonly MeterAddress Meter = MeterAddress.Parse("78330011223344", CjT188Framer.AddressLength);

    [TestCase(true, CjT188IdentifierOrder.HighByteFirst)]
    [TestCase(false, CjT188IdentifierOrder.LowByteFirst)]
    public void A_meter_reads_the_valve_command_it_was_sent(bool open, CjT188IdentifierOrder order)
    {
        var buffer = new byte[64];
        int length = CjT188Request.EncodeValveControl(buffer, CjT188MeterType.ColdWater, Meter, open, order, serial: 5);

        bool read = CjT188Request.TryDecodeValveControl(CjT188Framer.Decode(buffer.AsSpan(0, length)), buffer.AsSpan(0, length), order, out var decodedOpen, out var serial, out var reason);

        Assert.That(read, Is.True, reason);
        Assert.That(decodedOpen, Is.EqualTo(open));
        Assert.That(serial, Is.EqualTo(5));
    }

    [Test]
    public void A_valve_command_byte_other_than_55H_or_99H_is_named()
    {
        var buffer = new byte[64];
        int length = CjT188Framer.Encode(buffer, CjT188MeterType.ColdWater, Meter, CjT188Control.Request(CjT188Function.WriteData),
            CjT188DataIdentifier.ValveControl, 0, [0x56], CjT188IdentifierOrder.LowByteFirst);

        bool read = CjT188Request.TryDecodeValveControl(CjT188Framer.Decode(buffer.AsSpan(0, length)), buffer.AsSpan(0, length), CjT188IdentifierOrder.LowByteFirst, out _, out _, out var reason);

        Assert.That(read, Is.False);
        Assert.That(reason, Does.Contain("55H").And.Contain("99H").And.Contain("56H"));
    }

    [Test]
    public void EncodeMeterData_reproduces_the_published_answer_with_its_corrected_checksum()
    {
        var buffer = new byte[64];
        var data = new CjT188MeterData(556677.00m, CjT188Unit.CubicMetre, 556677.00m, CjT188Unit.CubicMetre,
            new DateTime(2015, 5, 11, 22, 1, 31), new CjT188Status(0x21, 0x84));

        int length = CjT188Reply.EncodeMeterData(buffer, CjT188MeterType.ColdWater, Meter, 0, data, CjT188IdentifierOrder.LowByteFirst);

        Assert.That(Hex.Of(buffer.AsSpan(0, length)), Is.EqualTo(Hex.Of(Hex.Bytes(
            "FE FE FE FE 68 10 44 33 22 11 00 33 78 81 16 1F 90 00 00 77 66 55 2C 00 77 66 55 2C 31 01 22 11 05 15 20 21 84 13 16"))));
    }

    [Test]
    public void Valve_status_and_abnormal_replies_decode_to_what_the_meter_sent()
    {
        var buffer = new byte[64];
        int length = CjT188Reply.EncodeValveStatus(buffer, CjT188MeterType.Gas, Meter, 3, new CjT188Status(0x00, 0x00), CjT188IdentifierOrder.HighByteFirst);
        Assert.That(CjT188Reply.TryDecode(CjT188Framer.Decode(buffer.AsSpan(0, length)), buffer.AsSpan(0, length), CjT188IdentifierOrder.HighByteFirst, out var valve, out var reason), Is.True, reason);
        length = CjT188Reply.EncodeAbnormal(buffer, CjT188MeterType.Gas, Meter, CjT188Function.WriteData, 3, new CjT188Status(0x03, 0x00));
        Assert.That(CjT188Reply.TryDecode(CjT188Framer.Decode(buffer.AsSpan(0, length)), buffer.AsSpan(0, length), CjT188IdentifierOrder.HighByteFirst, out var abnormal, out reason), Is.True, reason);

        Assert.That(valve!.Status!.Value.Valve, Is.EqualTo(CjT188ValveState.Open));
        Assert.That(valve.Identifier, Is.EqualTo(CjT188DataIdentifier.ValveControl));
        Assert.That(abnormal!.Kind, Is.EqualTo(CjT188ReplyKind.Abnormal));
        Assert.That(abnormal.Status!.Value.Valve, Is.EqualTo(CjT188ValveState.Abnormal));
    }
}
