using CivicEdge.Fleet.Contracts.Ledger;
using CivicEdge.Fleet.Core.Ledger;
using CivicEdge.Fleet.Core.Ledger.Codes;

namespace CivicEdge.Fleet.Core.Tests.Ledger;

[Category("Unit")]
public sealed class DeviceCodeSchemeTests
{
    private readonly ProvinceDeviceCodeScheme _province = new();

    // Published vectors of ISO/IEC 7064 (those python-stdnum's iso7064 modules document).
    [TestCase("A12425GABC1234002", 'M')]
    public void The_mod_37_36_check_character_matches_the_standards_vectors(string payload, char expected)
    {
        Assert.That(Iso7064CheckCharacter.Mod37Of36(payload), Is.EqualTo(expected));
    }

    [TestCase("79462", '3')]
    [TestCase("00200667308", '5')]
    public void The_mod_11_10_check_digit_matches_the_standards_vectors(string payload, char expected)
    {
        Assert.That(Iso7064CheckCharacter.Mod11Of10(payload), Is.EqualTo(expected));
    }

    [Test]
    public void Every_single_substitution_changes_the_check_character()
    {
        const string payload = "410102GW00000001";
        const string alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
        var check = Iso7064CheckCharacter.Mod37Of36(payload);
        for (var i = 0; i < payload.Length; i++)
        {
            foreach (var other in alphabet.Where(character => character != payload[i]))
            {
                var changed = payload[..i] + other + payload[(i + 1)..];
                Assert.That(Iso7064CheckCharacter.Mod37Of36(changed), Is.Not.EqualTo(check), changed);
            }
        }
    }

    [Test]
    public void The_documented_example_is_the_code_the_scheme_composes()
    {
        Assert.That(ProvinceDeviceCodeScheme.Example, Is.EqualTo("410102GW00000001E"));
    }

    [Test]
    public void A_composed_province_code_is_valid_for_its_kind()
    {
        var code = ProvinceDeviceCodeScheme.Compose("410102", DeviceKind.WaterMeter, "A0000042");

        Assert.That(code, Has.Length.EqualTo(17).And.StartsWith("410102WMA0000042"));
        Assert.That(_province.Check(code, DeviceKind.WaterMeter), Is.Null);
    }

    [Test]
    public void A_wrong_check_character_is_named_with_the_one_expected()
    {
        var code = ProvinceDeviceCodeScheme.Compose("410102", DeviceKind.Gateway, "00000001");
        var wrong = code[..16] + (code[16] == '0' ? '1' : '0');

        Assert.That(_province.Check(wrong, DeviceKind.Gateway), Does.StartWith($"character 17: expected the check character '{code[16]}'"));
    }

    [TestCase("410102GW0000001", "expected 17 characters")]
    [TestCase("41A102GW00000001X", "characters 1–6: expected a GB/T 2260 division code")]
    [TestCase("990102GW00000001X", "characters 1–2: expected a GB/T 2260 province code")]
    [TestCase("410102ZZ00000001X", "characters 7–8: expected a device class")]
    [TestCase("410102GW0000000aX", "characters 9–16: expected a serial of digits and capital letters")]
    public void A_malformed_province_code_is_named_by_the_part_that_is_wrong(string code, string expected)
    {
        Assert.That(_province.Check(code, DeviceKind.Gateway), Does.StartWith(expected));
    }

    [Test]
    public void The_class_in_the_code_must_agree_with_the_registered_kind()
    {
        var gasMeterCode = ProvinceDeviceCodeScheme.Compose("410102", DeviceKind.GasMeter, "00000007");

        Assert.That(_province.Check(gasMeterCode, DeviceKind.WaterMeter), Is.EqualTo(
            "characters 7–8: the class 'GM' means gasMeter, but the device is registered as waterMeter (class 'WM')"));
    }

    [TestCase("gw-north-07", null)]
    [TestCase("表具-0001", null)]
    [TestCase("gw/1", "character 3")]
    [TestCase("gw+1", "character 3")]
    [TestCase("gw#1", "character 3")]
    [TestCase("gw:1", "character 3")]
    [TestCase("gw 1", "character 3")]
    [TestCase("$SYS", "expected a code not starting with '$'")]
    [TestCase("", "expected 1 to 128 characters")]
    public void The_topic_level_scheme_takes_any_code_safe_as_a_topic_level_and_a_mosquitto_user(string code, string? problem)
    {
        var found = new TopicLevelDeviceCodeScheme().Check(code, DeviceKind.Other);

        if (problem is null)
            Assert.That(found, Is.Null);
        else
            Assert.That(found, Does.StartWith(problem));
    }

    [Test]
    public void The_pattern_scheme_checks_the_pattern_then_the_check_character()
    {
        var scheme = new PatternDeviceCodeScheme("[0-9]{12}", PatternDeviceCodeScheme.Mod11Of10);

        Assert.That(scheme.Check("002006673085", DeviceKind.Sensor), Is.Null);
        Assert.That(scheme.Check("002006673084", DeviceKind.Sensor), Is.EqualTo("last character: expected the check character '5' (ISO/IEC 7064 mod11-10 of 00200667308), found '4'"));
        Assert.That(scheme.Check("00200667308", DeviceKind.Sensor), Is.EqualTo("expected a code matching [0-9]{12}, found '00200667308'"));
        Assert.That(scheme.Check("00200667308/", DeviceKind.Sensor), Does.StartWith("character 12"), "a code must stay a safe topic level whatever the pattern");
    }

    [Test]
    public void The_configured_scheme_is_chosen_by_name_and_an_unknown_name_is_refused()
    {
        Assert.That(DeviceCodeSchemes.From(new LedgerOptions()).Name, Is.EqualTo("province"));
        Assert.That(DeviceCodeSchemes.From(new LedgerOptions { CodeScheme = "topic-level" }).Name, Is.EqualTo("topic-level"));
        Assert.That(DeviceCodeSchemes.From(new LedgerOptions { CodeScheme = "pattern", CodePattern = "[A-Z]+" }).Name, Is.EqualTo("pattern"));
        Assert.Throws<ArgumentException>(() => DeviceCodeSchemes.From(new LedgerOptions { CodeScheme = "national" }));
    }
}
