using CivicEdge.Fleet.Cli.Modbus;
using CivicEdge.Protocols.Modbus;

namespace CivicEdge.Fleet.Cli.Tests.Modbus;

[Category("Unit")]
public sealed class ModbusValueFormatTests
{
    [TestCase("0xFFFF", ModbusValueType.Int16, -1)]
    [TestCase("0x8000", ModbusValueType.Int16, -32768)]
    [TestCase("-32768", ModbusValueType.Int16, -32768)]
    [TestCase("0xFFFFFFFFFFFFFFFF", ModbusValueType.Int64, -1)]
    [TestCase("9007199254740993", ModbusValueType.Int64, 9007199254740993)]
    [TestCase("4294967295", ModbusValueType.UInt32, 4294967295)]
    public void Integers_round_trip_exactly_from_decimal_or_hex(string text, ModbusValueType type, long expected)
    {
        var registers = ModbusValueFormat.TryEncode(text, type, RegisterOrder.DCBA, out var problem);

        Assert.That(problem, Is.Null);
        Assert.That(ModbusValueFormat.Decode(registers, type, RegisterOrder.DCBA).Integer, Is.EqualTo(expected));
    }

    [TestCase("70000", ModbusValueType.Int16)]
    [TestCase("-1", ModbusValueType.UInt16)]
    [TestCase("0x10000", ModbusValueType.UInt16)]
    [TestCase("1e39", ModbusValueType.Float32)]
    [TestCase("12345", ModbusValueType.Bcd16)]
    [TestCase("12a", ModbusValueType.Bcd32)]
    [TestCase("twelve", ModbusValueType.Float64)]
    public void A_value_that_does_not_fit_its_type_is_refused_with_what_was_expected(string text, ModbusValueType type)
    {
        var registers = ModbusValueFormat.TryEncode(text, type, RegisterOrder.ABCD, out var problem);

        Assert.That(registers, Is.Null);
        Assert.That(problem, Does.StartWith("expected ").And.EndWith($"found '{text}'"));
    }

    [Test]
    public void A_float32_shows_the_digits_of_the_float_not_of_its_double_expansion()
    {
        var registers = ModbusValueFormat.TryEncode("228.61351", ModbusValueType.Float32, RegisterOrder.ABCD, out _)!;

        Assert.That(ModbusValueFormat.Decode(registers, ModbusValueType.Float32, RegisterOrder.ABCD).ToString(), Is.EqualTo("228.61351"));
    }

    [Test]
    public void Bcd_encodes_one_digit_per_nibble()
    {
        Assert.That(ModbusValueFormat.TryEncode("1234", ModbusValueType.Bcd16, RegisterOrder.ABCD, out _), Is.EqualTo(new ushort[] { 0x1234 }));
        Assert.That(ModbusValueFormat.TryEncode("987654", ModbusValueType.Bcd32, RegisterOrder.CDAB, out _), Is.EqualTo(new ushort[] { 0x7654, 0x0098 }));
    }

    [Test]
    public void A_string_with_low_byte_first_reads_back_as_written_and_stops_at_the_padding()
    {
        var registers = ModbusValueFormat.TryEncode("ABC", ModbusValueType.String, RegisterOrder.BADC, out _)!;

        Assert.That(registers, Is.EqualTo(new ushort[] { 0x4241, 0x0043 }));
        Assert.That(ModbusValueFormat.Decode([.. registers, 0x2020], ModbusValueType.String, RegisterOrder.BADC).Text, Is.EqualTo("ABC"));
    }

    [Test]
    public void Unprintable_bytes_in_a_string_are_shown_as_dots()
    {
        Assert.That(ModbusValueFormat.Decode([0x411B, 0x4207], ModbusValueType.String, RegisterOrder.ABCD).Text, Is.EqualTo("A.B."));
    }

    [TestCase("200ms", 200)]
    [TestCase("1s", 1000)]
    [TestCase("1.5s", 1500)]
    [TestCase("2m", 120_000)]
    public void Durations_accept_milliseconds_seconds_and_minutes(string text, int milliseconds)
    {
        Assert.That(ModbusLinkOptions.TryParseDuration(text, out var duration), Is.True);
        Assert.That(duration, Is.EqualTo(TimeSpan.FromMilliseconds(milliseconds)));
    }

    [TestCase("1")]
    [TestCase("0ms")]
    [TestCase("-1s")]
    [TestCase("soon")]
    [TestCase("11m")]
    public void Durations_without_a_unit_or_out_of_range_are_refused(string text)
    {
        Assert.That(ModbusLinkOptions.TryParseDuration(text, out _), Is.False);
    }

    [TestCase("10.0.0.5:502", "10.0.0.5", 502)]
    [TestCase("[::1]:1502", "::1", 1502)]
    [TestCase("plc.local:5020", "plc.local", 5020)]
    public void Endpoints_are_host_and_port(string text, string host, int port)
    {
        Assert.That(ModbusLinkOptions.TryParseHostPort(text, out var h, out var p), Is.True);
        Assert.That((h, p), Is.EqualTo((host, port)));
    }

    [Test]
    public void Latency_percentiles_are_by_nearest_rank()
    {
        var summary = PollLatencySummary.From([.. Enumerable.Range(1, 100).Select(i => (double)i)]);

        Assert.That(summary, Is.EqualTo(new PollLatencySummary(1, 50.5, 50, 95, 99, 100)));
    }
}
