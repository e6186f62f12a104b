using CivicEdge.Protocols.Meters.Dlt645;

namespace CivicEdge.Protocols.Meters.Tests.Dlt645;

/// <summary>The data formats of DL/T 645-2007 Appendix A: BCD, fixed decimals, a sign in the top bit.</summary>
[Category("Unit")]
public sealed class Dlt645DataItemTests
{
    private static Dlt645DataItem Item(uint identifier)
    {
        Assert.That(Dlt645DataCatalog.TryFind2007(identifier, out var item), Is.True, $"{identifier:X8} is catalogued");
        return item!;
    }

    [Test]
    public void Phase_A_voltage_is_XXX_X_volts_in_two_bytes()
    {
        Assert.That(Item(0x02010100).TryDecode([0x05, 0x22], out var value, out var reason), Is.True, reason);

        Assert.That(value, Is.EqualTo(220.5m));
        Assert.That(Item(0x02010100).Unit, Is.EqualTo("V"));
    }

    [Test]
    public void A_set_top_bit_makes_active_power_negative()
    {
        Assert.That(Item(0x02030000).TryDecode([0x45, 0x23, 0x81], out var value, out var reason), Is.True, reason);

        Assert.That(value, Is.EqualTo(-1.2345m));
    }

    [Test]
    public void Energy_identifiers_name_tariff_and_settlement_date()
    {
        var item = Item(0x00010302);

        Assert.That(item.Quantity, Is.EqualTo("forward active energy tariff 3, settlement 2 ago"));
        Assert.That(item.Unit, Is.EqualTo("kWh"));
        Assert.That(Item(0x00050000).Unit, Is.EqualTo("kvarh"));
        Assert.That(Item(0x00000000).Signed, Is.True);
    }

    [Test]
    public void An_unknown_identifier_is_not_given_an_invented_format()
    {
        Assert.That(Dlt645DataCatalog.TryFind2007(0x04000101, out _), Is.False);
        Assert.That(Dlt645DataCatalog.TryFind2007(0x000B0000, out _), Is.False);
    }

    [Test]
    public void A_value_byte_that_is_not_BCD_is_named()
    {
        bool decoded = Item(0x00010000).TryDecode([0x00, 0x3A, 0x00, 0x00], out _, out var reason);

        Assert.That(decoded, Is.False);
        Assert.That(reason, Does.Contain("byte 1").And.Contain("3AH"));
    }

    [Test]
    public void A_value_of_the_wrong_length_is_named()
    {
        bool decoded = Item(0x00010000).TryDecode([0x00, 0x00], out _, out var reason);

        Assert.That(decoded, Is.False);
        Assert.That(reason, Does.Contain("expected 4").And.Contain("found 2"));
    }

    [Test]
    public void Encode_refuses_a_value_beyond_the_format()
    {
        Assert.That(() => Item(0x02010100).Encode(10000m, new byte[2]), Throws.InstanceOf<ArgumentOutOfRangeException>());
        Assert.That(() => Item(0x02030000).Encode(80m, new byte[3]), Throws.InstanceOf<ArgumentOutOfRangeException>());
        Assert.That(() => Item(0x00010000).Encode(-1m, new byte[4]), Throws.InstanceOf<ArgumentOutOfRangeException>());
    }
}
