using System.Globalization;
using System.Text;
using System.Text.Json;
using CivicEdge.Firmware.Core.Json;

namespace CivicEdge.Firmware.Core.Tests.Json;

[Category("Unit")]
public sealed class JsonWriterTests
{
    private static string Text(JsonWriter writer) => Encoding.UTF8.GetString(writer.Buffer, 0, writer.Length);

    private static string Written(double value)
    {
        var writer = new JsonWriter(64, 4);
        writer.Number(value);
        return Text(writer);
    }

    [Test]
    public void Objects_and_arrays_get_their_commas_and_colons()
    {
        var writer = new JsonWriter(256, 4);
        writer.BeginObject();
        writer.Name("a");
        writer.Number(1L);
        writer.Name("b");
        writer.BeginArray();
        writer.Boolean(true);
        writer.Null();
        writer.String("x");
        writer.BeginObject();
        writer.EndObject();
        writer.EndArray();
        writer.EndObject();

        Assert.That(Text(writer), Is.EqualTo("""{"a":1,"b":[true,null,"x",{}]}"""));
    }

    [TestCase(0.0, "0")]
    [TestCase(1.0, "1")]
    [TestCase(-1.5, "-1.5")]
    [TestCase(230.1, "230.1")]
    [TestCase(0.1, "0.1")]
    [TestCase(0.3, "0.3")]
    [TestCase(49.98, "49.98")]
    [TestCase(123456789.123, "123456789.123")]
    [TestCase(100.0, "100")]
    [TestCase(1e14, "100000000000000")]
    [TestCase(1e15, "1E15")]
    [TestCase(0.000001, "0.000001")]
    [TestCase(0.0000001, "1E-7")]
    [TestCase(-2.5e-12, "-2.5E-12")]
    [TestCase(9.9999999999999999, "10")]
    [TestCase(1.7976931348623157e308, "1.79769313486232E308")]
    public void Numbers_are_written_invariantly_with_up_to_15_significant_digits(double value, string expected)
    {
        Assert.That(Written(value), Is.EqualTo(expected));
    }

    [Test]
    public void Numbers_read_back_within_the_precision_of_15_digits()
    {
        var random = new Random(20261129);
        for (var i = 0; i < 20000; i++)
        {
            var value = (random.NextDouble() - 0.5) * Math.Pow(10, random.Next(-30, 30));
            var text = Written(value);
            var back = double.Parse(text, CultureInfo.InvariantCulture);
            Assert.That(back, Is.EqualTo(value).Within(Math.Abs(value) * 1e-14), text);
        }
    }

    [TestCase(long.MinValue, "-9223372036854775808")]
    [TestCase(long.MaxValue, "9223372036854775807")]
    [TestCase(0L, "0")]
    [TestCase(-42L, "-42")]
    public void Integers_are_written_exactly(long value, string expected)
    {
        var writer = new JsonWriter(64, 4);
        writer.Number(value);
        Assert.That(Text(writer), Is.EqualTo(expected));
    }

    [Test]
    public void Non_finite_numbers_are_refused_because_json_has_none()
    {
        var writer = new JsonWriter(64, 4);
        Assert.That(() => writer.Number(double.NaN), Throws.ArgumentException.With.Message.Contains("NaN"));
        Assert.That(() => writer.Number(double.PositiveInfinity), Throws.ArgumentException.With.Message.Contains("infinity"));
    }

    [Test]
    public void Strings_are_escaped_as_rfc_8259_section_7_requires_and_read_back_by_system_text_json()
    {
        var text = "quote \" backslash \\ slash / tab \t newline \n nul \u0000 bell \u0007 é € 😀 end";
        var writer = new JsonWriter(256, 4);
        writer.String(text);

        var json = Text(writer);
        Assert.That(json, Does.Contain("\\\"").And.Contain("\\\\").And.Contain("\\t").And.Contain("\\n").And.Contain("\\u0000").And.Contain("\\u0007"));
        Assert.That(JsonSerializer.Deserialize<string>(json), Is.EqualTo(text));
    }

    [Test]
    public void A_lone_surrogate_becomes_the_replacement_character()
    {
        var writer = new JsonWriter(64, 4);
        writer.String("a\uD800b");
        Assert.That(JsonSerializer.Deserialize<string>(Text(writer)), Is.EqualTo("a\uFFFDb"));
    }

    [Test]
    public void Timestamps_are_iso_8601_utc_with_milliseconds()
    {
        var writer = new JsonWriter(64, 4);
        writer.Timestamp(new DateTime(2026, 11, 29, 1, 2, 3, 45, DateTimeKind.Utc));
        Assert.That(Text(writer), Is.EqualTo("\"2026-11-29T01:02:03.045Z\""));
    }

    [Test]
    public void A_write_that_does_not_fit_sets_overflowed_and_rewinding_to_a_mark_restores_the_message()
    {
        var writer = new JsonWriter(24, 4);
        writer.BeginArray();
        writer.Number(1L);
        var mark = writer.Mark();
        writer.String("this string is far too long");
        Assert.That(writer.Overflowed, Is.True);

        writer.Rewind(mark);
        writer.Number(2L);
        writer.EndArray();
        Assert.That(writer.Overflowed, Is.False);
        Assert.That(Text(writer), Is.EqualTo("[1,2]"));
    }

    [Test]
    public void Writing_a_message_again_allocates_nothing()
    {
        var writer = new JsonWriter(512, 4);
        var stamp = new DateTime(2026, 11, 29, 1, 2, 3, DateTimeKind.Utc);
        WriteRecord(writer, stamp);
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 100; i++)
            WriteRecord(writer, stamp);
        Assert.That(GC.GetAllocatedBytesForCurrentThread() - before, Is.Zero);
    }

    private static void WriteRecord(JsonWriter writer, DateTime stamp)
    {
        writer.Reset();
        writer.BeginObject();
        writer.Name("seq");
        writer.Number(12345L);
        writer.Name("timestamp");
        writer.Timestamp(stamp);
        writer.Name("value");
        writer.Number(230.125);
        writer.Name("unit");
        writer.String("V");
        writer.EndObject();
    }
}
