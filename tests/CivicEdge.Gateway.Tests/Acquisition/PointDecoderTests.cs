using CivicEdge.Fleet.Contracts;
using CivicEdge.Gateway.Acquisition;
using CivicEdge.Protocols.Modbus;
using static CivicEdge.Gateway.Tests.Support.TestProfiles;

namespace CivicEdge.Gateway.Tests.Acquisition;

[Category("Unit")]
public sealed class PointDecoderTests
{
    [Test]
    public void The_value_is_raw_times_scale_plus_offset()
    {
        var point = Point("temperature", 0, RegisterDataType.Int16, scale: 0.1, offset: -40, unit: "Cel", quantity: "temperature");

        Assert.That(PointDecoder.TryDecode(point, [unchecked((ushort)(short)-5)], out var value), Is.True);

        Assert.That(value!.Value, Is.EqualTo(-40.5).Within(1e-9));
        Assert.That((value.Name, value.Unit, value.Quantity), Is.EqualTo(("temperature", "Cel", (string?)"temperature")));
    }

    [Test]
    public void A_value_within_min_and_max_is_good_and_the_bounds_are_inclusive()
    {
        var point = Point("voltage", 0, min: 100, max: 300);

        PointDecoder.TryDecode(point, [100], out var atMin);
        PointDecoder.TryDecode(point, [300], out var atMax);

        Assert.That(new[] { atMin!.Quality, atMax!.Quality }, Has.All.EqualTo(Quality.Good));
    }

    [TestCase((ushort)99)]
    [TestCase((ushort)301)]
    public void A_value_outside_min_and_max_is_kept_but_marked_out_of_range(ushort raw)
    {
        var point = Point("voltage", 0, min: 100, max: 300);

        Assert.That(PointDecoder.TryDecode(point, [raw], out var value), Is.True);

        Assert.That(value!.Quality, Is.EqualTo(Quality.OutOfRange));
        Assert.That(value.Value, Is.EqualTo((double)raw));
    }

    [Test]
    public void The_range_is_checked_on_the_scaled_value()
    {
        var point = Point("current", 0, scale: 0.01, max: 100);

        PointDecoder.TryDecode(point, [10_001], out var value);

        Assert.That(value!.Quality, Is.EqualTo(Quality.OutOfRange));
    }

    [Test]
    public void The_profile_word_order_is_honoured()
    {
        var point = Point("voltage", 0, RegisterDataType.Float32, order: RegisterOrder.CDAB);
        Span<ushort> registers = stackalloc ushort[2];
        RegisterValueCodec.Encode(230.5, RegisterDataType.Float32, RegisterOrder.CDAB, registers);

        PointDecoder.TryDecode(point, registers, out var value);

        Assert.That(value!.Value, Is.EqualTo(230.5));
    }

    [TestCase(float.NaN)]
    [TestCase(float.PositiveInfinity)]
    public void A_float_that_is_not_a_finite_number_is_not_decoded(float sent)
    {
        var point = Point("voltage", 0, RegisterDataType.Float32, min: 0, max: 300);
        Span<ushort> registers = stackalloc ushort[2];
        RegisterValueCodec.Encode(sent, RegisterDataType.Float32, RegisterOrder.ABCD, registers);

        Assert.That(PointDecoder.TryDecode(point, registers, out var value), Is.False);
        Assert.That(value, Is.Null);
    }

    [TestCase(RegisterDataType.Bcd16, RegisterOrder.ABCD, new ushort[] { 0x1234 }, 1234)]
    [TestCase(RegisterDataType.Bcd32, RegisterOrder.ABCD, new ushort[] { 0x1234, 0x5678 }, 12345678)]
    [TestCase(RegisterDataType.Bcd32, RegisterOrder.CDAB, new ushort[] { 0x5678, 0x1234 }, 12345678)]
    public void Bcd_totals_are_decoded_and_scaled(RegisterDataType type, RegisterOrder order, ushort[] registers, double digits)
    {
        var point = Point("volume", 0, type, scale: 0.001, order: order, unit: "m3", quantity: "volume");

        Assert.That(PointDecoder.TryDecode(point, registers, out var value), Is.True);

        Assert.That(value!.Value, Is.EqualTo(digits * 0.001).Within(1e-9));
    }

    [Test]
    public void A_bcd_register_with_a_digit_above_9_is_not_a_number()
    {
        var point = Point("volume", 0, RegisterDataType.Bcd16, unit: "m3");

        Assert.That(PointDecoder.TryDecode(point, [0x12A4], out var value), Is.False);
        Assert.That(value, Is.Null);
    }

    [TestCase(0, 1, 0b1010_0101, 1)]
    [TestCase(1, 1, 0b1010_0101, 0)]
    [TestCase(4, 4, 0b1010_0101, 10)]
    [TestCase(0, 16, 0xFFFF, 65535)]
    public void A_bit_field_is_the_field_read_as_an_unsigned_number(int first, int count, int register, double expected)
    {
        var point = Point("mode", 0, unit: "1") with { Bits = new(first, count) };

        Assert.That(PointDecoder.TryDecode(point, [(ushort)register], out var value), Is.True);

        Assert.That(value!.Value, Is.EqualTo(expected));
    }

    [Test]
    public void A_bit_field_honours_the_byte_swap_of_its_register()
    {
        var point = Point("flag", 0, unit: "1", order: RegisterOrder.BADC) with { Bits = new(0, 1) };

        PointDecoder.TryDecode(point, [0x0100], out var value);

        Assert.That(value!.Value, Is.EqualTo(1));
    }

    [TestCase(true, 1)]
    [TestCase(false, 0)]
    public void A_coil_is_1_when_set_and_0_when_not(bool bit, double expected)
    {
        var point = Point("relay", 0, table: RegisterTable.Coils, unit: "1", quantity: "switch_state");

        Assert.That(PointDecoder.TryDecode(point, bit, out var value), Is.True);

        Assert.That((value!.Value, value.Quality), Is.EqualTo((expected, Quality.Good)));
    }

    [Test]
    public void Text_points_are_not_numeric()
    {
        Assert.That(PointDecoder.IsNumeric(Point("serial_number", 0) with { Length = 4 }), Is.False);
        Assert.That(PointDecoder.IsNumeric(Point("voltage", 0)), Is.True);
    }
}
