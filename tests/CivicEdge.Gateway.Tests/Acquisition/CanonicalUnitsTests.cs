using CivicEdge.Gateway.Acquisition;

namespace CivicEdge.Gateway.Tests.Acquisition;

[Category("Unit")]
public sealed class CanonicalUnitsTests
{
    [TestCase("active_energy", "Wh", 1234.0, "kWh", 1.234)]
    [TestCase("active_energy", "MWh", 1.5, "kWh", 1500.0)]
    [TestCase("heat_energy", "GJ", 3.6, "kWh", 1000.0)]
    [TestCase("heat_energy", "MJ", 36.0, "kWh", 10.0)]
    [TestCase("active_power", "kW", 2.5, "W", 2500.0)]
    [TestCase("heat_power", "MW", 0.75, "W", 750_000.0)]
    [TestCase("volume", "L", 1234.0, "m3", 1.234)]
    [TestCase("volume", "m³", 12.5, "m3", 12.5)]
    [TestCase("volume_flow", "L/h", 500.0, "m3/h", 0.5)]
    [TestCase("volume_flow", "L/s", 2.0, "m3/h", 7.2)]
    [TestCase("voltage", "kV", 10.5, "V", 10_500.0)]
    [TestCase("current", "mA", 350.0, "A", 0.35)]
    [TestCase("temperature", "K", 293.15, "Cel", 20.0)]
    [TestCase("temperature", "[degF]", 212.0, "Cel", 100.0)]
    [TestCase("temperature", "°C", 21.5, "Cel", 21.5)]
    [TestCase("pressure", "hPa", 1013.2, "kPa", 101.32)]
    [TestCase("pressure", "bar", 1.5, "kPa", 150.0)]
    [TestCase("pm2_5", "mg/m3", 0.035, "ug/m3", 35.0)]
    [TestCase("wind_speed", "km/h", 36.0, "m/s", 10.0)]
    public void A_value_is_converted_to_the_canonical_unit_of_its_quantity(string quantity, string unit, double value, string canonical, double expected)
    {
        var conversion = CanonicalUnits.For(quantity, unit);

        Assert.That(conversion.Unit, Is.EqualTo(canonical));
        Assert.That(conversion.Apply(value), Is.EqualTo(expected).Within(1e-9));
    }

    [Test]
    public void Decimal_prefixes_convert_to_the_nearest_double_of_the_exact_result()
    {
        // 1234 × 0.001 is 1.2340000000000002 in binary floating point; 1234 ÷ 1000 is the double closest to 1.234.
        Assert.That(CanonicalUnits.For("active_energy", "Wh").Apply(1234), Is.EqualTo(1.234));
        Assert.That(CanonicalUnits.For("volume", "L").Apply(0.1), Is.EqualTo(0.0001));
    }

    [TestCase("active_energy", "kWh")]
    [TestCase("voltage", "V")]
    [TestCase("temperature", "Cel")]
    public void A_value_already_in_the_canonical_unit_is_left_as_it_is(string quantity, string unit)
    {
        var conversion = CanonicalUnits.For(quantity, unit);

        Assert.That((conversion.Unit, conversion.KeepsValue, conversion.Apply(230.1)), Is.EqualTo((unit, true, 230.1)));
    }

    [TestCase("active_energy", "BTU")]
    [TestCase("sound_level", "dB")]
    [TestCase(null, "Wh")]
    [TestCase("dimming_level", "%")]
    public void An_unknown_quantity_or_unit_passes_through_unchanged(string? quantity, string unit)
    {
        var conversion = CanonicalUnits.For(quantity, unit);

        Assert.That((conversion.Unit, conversion.Apply(42.5)), Is.EqualTo((unit, 42.5)));
    }

    [Test]
    public void A_difference_ignores_the_offset_between_scales()
    {
        var kelvin = CanonicalUnits.For("temperature", "K");
        var fahrenheit = CanonicalUnits.For("temperature", "[degF]");

        Assert.That(kelvin.ApplyToDifference(2), Is.EqualTo(2.0));
        Assert.That(fahrenheit.ApplyToDifference(9), Is.EqualTo(5.0));
    }

    [Test]
    public void Every_quantity_in_the_table_names_its_canonical_unit()
    {
        Assert.That(CanonicalUnits.Quantities["active_energy"], Is.EqualTo("kWh"));
        Assert.That(CanonicalUnits.Quantities["volume"], Is.EqualTo("m3"));
        Assert.That(CanonicalUnits.Quantities.Select(q => CanonicalUnits.For(q.Key, q.Value).KeepsValue), Has.All.True);
    }
}
