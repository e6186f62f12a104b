namespace CivicEdge.Protocols.MBus.Tests;

/// <summary>Secondary addresses for selection (EN 13757-3 §11.5): BCD with F wildcards, manufacturer, version, medium.</summary>
[Category("Unit")]
public sealed class MbusSecondaryAddressTests
{
    [Test]
    public void A_pattern_encodes_least_significant_byte_first_with_f_wildcards()
    {
        var bytes = new byte[8];

        MbusSecondaryAddress.Parse("1234??FF").Encode(bytes);

        Assert.That(Hex.Of(bytes), Is.EqualTo("FFFF3412FFFFFFFF"));
    }

    [Test]
    public void Manufacturer_version_and_medium_are_written_after_the_identification()
    {
        var bytes = new byte[8];

        new MbusSecondaryAddress("12345678", MbusManufacturer.Encode("ELS"), 0x01, 0x07).Encode(bytes);

        Assert.That(Hex.Of(bytes), Is.EqualTo("78563412" + "9315" + "01" + "07"));
    }

    [TestCase("1234567")]
    [TestCase("1234567A")]
    [TestCase("123456789")]
    public void A_pattern_that_is_not_eight_digits_or_wildcards_is_refused_with_what_was_found(string pattern)
    {
        Assert.That(() => MbusSecondaryAddress.Parse(pattern), Throws.TypeOf<FormatException>().With.Message.Contains($"found '{pattern}'"));
    }

    [Test]
    public void A_pattern_matches_headers_digit_by_digit()
    {
        var header = new MbusTelegramHeader(12345678, "ELS", 1, 7, 0, 0, 0);

        Assert.That(MbusSecondaryAddress.Parse("1234FFFF").Matches(header), Is.True);
        Assert.That(MbusSecondaryAddress.Parse("1235FFFF").Matches(header), Is.False);
        Assert.That(new MbusSecondaryAddress("FFFFFFFF", MbusManufacturer.Encode("KAM")).Matches(header), Is.False);
        Assert.That(new MbusSecondaryAddress("FFFFFFFF", Medium: 7).Matches(header), Is.True);
    }
}
