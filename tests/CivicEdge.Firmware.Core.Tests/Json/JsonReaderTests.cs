using System.Text;
using CivicEdge.Firmware.Core.Json;

namespace CivicEdge.Firmware.Core.Tests.Json;

[Category("Unit")]
public sealed class JsonReaderTests
{
    private static JsonReader Over(string json)
    {
        var reader = new JsonReader(8);
        var bytes = Encoding.UTF8.GetBytes(json);
        reader.Reset(bytes, 0, bytes.Length);
        return reader;
    }

    private static List<string> Tokens(JsonReader reader)
    {
        var tokens = new List<string>();
        while (reader.Read())
        {
            tokens.Add(reader.Kind switch
            {
                JsonTokenKind.PropertyName => "name:" + reader.GetString(),
                JsonTokenKind.String => "string:" + reader.GetString(),
                JsonTokenKind.Number => "number:" + (reader.TryGetDouble(out var d) ? d.ToString(System.Globalization.CultureInfo.InvariantCulture) : "?"),
                _ => reader.Kind.ToString(),
            });
        }

        return tokens;
    }

    [Test]
    public void A_message_reads_as_tokens_in_order()
    {
        var reader = Over("""  { "a" : [1, -2.5e2, "x\"y"], "b": {"c": true, "d": false, "e": null} }  """);
        Assert.That(Tokens(reader), Is.EqualTo(new[]
        {
            "StartObject", "name:a", "StartArray", "number:1", "number:-250", "string:x\"y", "EndArray",
            "name:b", "StartObject", "name:c", "True", "name:d", "False", "name:e", "Null", "EndObject", "EndObject",
        }));
        Assert.That(reader.Error, Is.Null);
    }

    [Test]
    public void Escapes_and_multibyte_utf8_decode_to_the_text_written()
    {
        var reader = Over("\"tab\\t nl\\n u\\u00e9 pair\\ud83d\\ude00 raw é€😀 slash\\/\"");
        Assert.That(reader.Read(), Is.True);
        Assert.That(reader.GetString(), Is.EqualTo("tab\t nl\n ué pair😀 raw é€😀 slash/"));
    }

    [Test]
    public void Value_equals_compares_names_without_decoding_them()
    {
        var reader = Over("""{"version":1}""");
        reader.Read();
        reader.Read();
        Assert.That(reader.ValueEquals("version"), Is.True);
        Assert.That(reader.ValueEquals("versio"), Is.False);
        Assert.That(reader.ValueEquals("versions"), Is.False);
    }

    [TestCase("{\"a\":1,}", "expected a property name in double quotes, found '}' at offset 7")]
    [TestCase("[1,]", "expected a value (object, array, string, number, true, false or null), found ']' at offset 3")]
    [TestCase("{\"a\" 1}", "expected ':' after the property name, found '1' at offset 5")]
    [TestCase("{\"a\":1", "expected ',' or '}', found the end of the message at offset 6")]
    [TestCase("[1 2]", "expected ',' or ']', found '2' at offset 3")]
    [TestCase("[1}", "expected ',' or ']', found '}' at offset 2")]
    [TestCase("\"abc", "expected '\"' closing the string that starts at offset 0, found the end of the message at offset 4")]
    [TestCase("\"a\tb\"", "expected an escaped control character (RFC 8259 §7), found the raw byte 0x09 at offset 2")]
    [TestCase("\"\\x\"", "expected one of \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX, found 'x' at offset 1")]
    [TestCase("01", "expected the end of the message, found '1' at offset 1")]
    [TestCase("-", "expected a digit, found the end of the message at offset 1")]
    [TestCase("1.", "expected a digit after the decimal point, found the end of the message at offset 2")]
    [TestCase("tru", "expected a value (object, array, string, number, true, false or null), found 't' at offset 0")]
    [TestCase("", "expected a JSON value, found the end of the message at offset 0")]
    [TestCase("{} {}", "expected the end of the message, found '{' at offset 3")]
    [TestCase("[[[[[[[[[1]]]]]]]]]", "expected nesting of at most 8 levels, found a deeper one at offset 8")]
    public void Malformed_input_stops_the_reader_with_what_was_expected_what_was_found_and_where(string json, string error)
    {
        var reader = Over(json);
        while (reader.Read())
        {
        }

        Assert.That(reader.Error, Is.EqualTo(error));
        Assert.That(reader.Read(), Is.False);
    }

    [Test]
    public void Bytes_that_are_not_utf8_are_an_error_naming_the_byte()
    {
        var reader = new JsonReader(4);
        var bytes = new byte[] { (byte)'"', 0xFF, (byte)'"' };
        reader.Reset(bytes, 0, bytes.Length);
        Assert.That(reader.Read(), Is.False);
        Assert.That(reader.Error, Is.EqualTo("expected UTF-8 text, found the byte 0xFF at offset 1"));
    }

    [Test]
    public void Skip_passes_over_a_whole_value_with_everything_inside_it()
    {
        var reader = Over("""{"skip":{"a":[1,{"b":2}],"c":"d"},"keep":7}""");
        reader.Read();
        reader.Read();
        Assert.That(reader.Skip(), Is.True);
        reader.Read();
        Assert.That(reader.ValueEquals("keep"), Is.True);
        reader.Read();
        Assert.That(reader.TryGetInt64(out var keep) && keep == 7, Is.True);
    }

    [TestCase("\"2026-11-29T01:02:03Z\"", "2026-11-29T01:02:03.0000000Z")]
    [TestCase("\"2026-11-29T01:02:03.1234567Z\"", "2026-11-29T01:02:03.1234567Z")]
    [TestCase("\"2026-11-29T09:02:03.5+08:00\"", "2026-11-29T01:02:03.5000000Z")]
    [TestCase("\"2026-11-28T20:02:03-05:00\"", "2026-11-29T01:02:03.0000000Z")]
    public void Timestamps_read_as_utc(string json, string expected)
    {
        var reader = Over(json);
        reader.Read();
        Assert.That(reader.TryGetTimestamp(out var utc), Is.True, reader.Error);
        Assert.That(utc.ToString("O", System.Globalization.CultureInfo.InvariantCulture).TrimEnd('Z'), Is.EqualTo(expected.TrimEnd('Z')));
    }

    [Test]
    public void A_string_that_is_no_timestamp_is_an_error_quoting_it()
    {
        var reader = Over("\"yesterday at noon\"");
        reader.Read();
        Assert.That(reader.TryGetTimestamp(out _), Is.False);
        Assert.That(reader.Error, Is.EqualTo("expected an ISO 8601 instant such as \"2026-11-29T01:24:34Z\", found the string \"yesterday at noon\" at offset 0"));
    }

    [Test]
    public void An_integer_that_does_not_fit_64_bits_is_an_error()
    {
        var reader = Over("92233720368547758070");
        reader.Read();
        Assert.That(reader.TryGetInt64(out _), Is.False);
        Assert.That(reader.Error, Is.EqualTo("expected an integer of at most 64 bits, found the number 92233720368547758070 at offset 0"));
    }

    [TestCase("0.1", 0.1)]
    [TestCase("230.1", 230.1)]
    [TestCase("-1e-7", -1e-7)]
    [TestCase("123456789.123", 123456789.123)]
    [TestCase("1.5E300", 1.5e300)]
    public void Numbers_read_as_the_nearest_double(string json, double expected)
    {
        var reader = Over(json);
        reader.Read();
        Assert.That(reader.TryGetDouble(out var value), Is.True);
        Assert.That(value, Is.EqualTo(expected).Within(Math.Abs(expected) * 1e-15));
    }
}
