using System.Globalization;
using System.Xml.Linq;

namespace CivicEdge.Protocols.MBus.Tests;

/// <summary>
/// Acceptance over telegrams of real meters (testdata/mbus, from the libmbus test suite): every sound telegram decodes
/// to the records its .norm.xml lists, by quantity, unit and value; every damaged one gives a clear error or a partial
/// decode, never an exception. Where libmbus names a quantity or unit differently from EN 13757-3 the comparison maps
/// its name to the standard's (<see cref="StandardQuantity"/>); the decoder follows the standard.
/// </summary>
[Category("Unit")]
public sealed class SampleTelegramTests
{
    private static IEnumerable<TelegramFile> Frames => TelegramFile.In("frames");

    private static IEnumerable<TelegramFile> ErrorFrames => TelegramFile.In("error-frames");

    [Test]
    public void The_sample_set_is_present()
    {
        Assert.That(Frames.Count(), Is.GreaterThanOrEqualTo(30));
        Assert.That(ErrorFrames.Count(), Is.GreaterThanOrEqualTo(10));
    }

    [TestCaseSource(nameof(Frames))]
    public void A_sample_telegram_decodes_to_the_records_of_its_norm_xml(TelegramFile file)
    {
        var bytes = file.Bytes();
        var frame = MbusFramer.Decode(bytes);
        Assert.That(frame.Status, Is.EqualTo(MbusDecodeStatus.Complete), frame.Error);
        var telegram = MbusApplicationDecoder.Decode(frame.ApplicationData(bytes));
        var expected = LoadXml(Path.ChangeExtension(file.Path, ".norm.xml")).Root!.Elements("DataRecord").ToList();

        Assert.That(telegram.Error, Is.Null);
        Assert.That(telegram.Records, Has.Count.EqualTo(expected.Count));
        Assert.Multiple(() =>
        {
            for (int i = 0; i < expected.Count; i++)
                Compare(i, expected[i], telegram.Records[i]);
        });
    }

    [TestCaseSource(nameof(ErrorFrames))]
    public void A_damaged_telegram_gives_a_clear_error_or_a_partial_decode(TelegramFile file)
    {
        var bytes = file.Bytes();
        var frame = MbusFramer.Decode(bytes);
        if (frame.Status != MbusDecodeStatus.Complete)
        {
            Assert.That(frame.Error, Does.StartWith("offset ").And.Contain("expected").And.Contain("found"));
            return;
        }
        var telegram = MbusApplicationDecoder.Decode(frame.ApplicationData(bytes));

        Assert.That(telegram.Error, Is.Not.Null.And.Not.Empty, "a damaged telegram must not decode as sound");
        Assert.That(telegram.Error, Does.Contain("expected").Or.Contain("application error"));
        var xml = Path.ChangeExtension(file.Path, ".xml");
        if (File.Exists(xml))
            Assert.That(telegram.Records, Has.Count.EqualTo(LoadXml(xml).Root!.Elements("DataRecord").Count()));
    }

    /// <summary>The files declare ISO-8859-1 but are written in UTF-8 ("°C"); the bytes, not the declaration, decide.</summary>
    private static XDocument LoadXml(string path) => XDocument.Parse(File.ReadAllText(path, System.Text.Encoding.UTF8), LoadOptions.PreserveWhitespace);

    private static void Compare(int index, XElement expected, MbusDataRecord actual)
    {
        string where = $"record {index} at offset {actual.Offset}";
        string function = (string?)expected.Element("Function") ?? "";
        string quantity = (string?)expected.Element("Quantity") ?? "";
        string unit = (string?)expected.Element("Unit") ?? "";
        string value = (string?)expected.Element("Value") ?? "";

        if (function is "Manufacturer specific" or "More records follow")
        {
            Assert.That(actual.Function, Is.EqualTo(MbusFunction.ManufacturerSpecific), where);
            Assert.That(Hex.Of(actual.Raw.Span), Is.EqualTo(value.Replace(" ", "", StringComparison.Ordinal)), where);
            return;
        }
        if (expected.Element("Quantity") is null)
        {
            CompareFixed(where, unit, value, actual);
            return;
        }
        Assert.That(actual.StorageNumber, Is.EqualTo(long.Parse((string)expected.Element("StorageNumber")!, CultureInfo.InvariantCulture)), where);
        bool plainText = actual.Quantity == "Plain text unit";
        if (plainText)
            Assert.That(actual.Unit, Is.EqualTo(quantity), $"{where}: plain-text unit");
        else
            Assert.That(actual.Quantity, Is.EqualTo(StandardQuantity(quantity)), $"{where}: quantity");

        switch (actual.Kind)
        {
            case MbusValueKind.Numeric:
                if (!plainText)
                    Assert.That(actual.Unit, Is.EqualTo(StandardUnit(unit)), $"{where}: unit");
                double number = double.Parse(value, CultureInfo.InvariantCulture);
                Assert.That(actual.Value, Is.EqualTo(number).Within(1e-6 + (Math.Abs(number) * 1e-9)), $"{where}: value");
                break;
            case MbusValueKind.DateTime when actual.Text == "invalid":
                // EN 13757-3 Annex A type F: bit 7 of the minute byte (IV) marks the time invalid. libmbus prints a
                // date anyway; the decoder reports it invalid rather than a date the meter did not give.
                Assert.That(actual.Raw.Span[0] & 0x80, Is.Not.Zero, $"{where}: IV bit");
                break;
            case MbusValueKind.DateTime:
                Assert.That(actual.Text, Is.EqualTo(value.TrimEnd('Z')), $"{where}: time point");
                break;
            case MbusValueKind.Text:
                Assert.That(actual.Text, Is.EqualTo(value), $"{where}: text");
                break;
            case MbusValueKind.Bytes:
                Assert.That(Hex.Of(actual.Raw.Span), Is.EqualTo(value.Replace(" ", "", StringComparison.Ordinal)), $"{where}: bytes");
                break;
        }
    }

    /// <summary>A fixed data structure (CI 73): libmbus prints the counter in the telegram's unit; the decoder scales to SI.</summary>
    private static void CompareFixed(string where, string unit, string value, MbusDataRecord actual)
    {
        var (si, factor) = unit switch
        {
            "kWh" => ("Wh", 1e3),
            "l" => ("m^3", 1e-3),
            _ => (unit, 1.0),
        };
        Assert.That(actual.Unit, Is.EqualTo(si), $"{where}: unit");
        Assert.That(actual.Value, Is.EqualTo(double.Parse(value, CultureInfo.InvariantCulture) * factor).Within(1e-9), $"{where}: value");
    }

    /// <summary>libmbus's quantity names where they differ in spelling from EN 13757-3's.</summary>
    private static string StandardQuantity(string libmbus) => libmbus switch
    {
        "Fabrication No" => "Fabrication number",
        "Averaging Duration" => "Averaging duration",
        "Actuality Duration" => "Actuality duration",
        "Digital Input" => "Digital input",
        "Model / Version" => "Model / version",
        "H.C.A." => "Units for H.C.A.",
        _ => libmbus,
    };

    /// <summary>libmbus writes "" or "-" for a dimensionless value; the decoder writes "".</summary>
    private static string StandardUnit(string libmbus) => libmbus switch
    {
        "-" or "" => "",
        "Units for H.C.A." or "Reserved" => "",
        _ => libmbus,
    };
}
