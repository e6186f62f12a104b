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
}
