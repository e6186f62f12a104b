namespace CivicEdge.Gateway.Acquisition;

/// <summary>
/// The unit every value of a quantity is reported in, whatever unit a device keeps it in: energy in kWh, power in W,
/// volume in m³ and so on, so that the fleet can add up and compare meters from different makers. Symbols are those
/// the profiles use (UCUM's case-sensitive codes: <c>Cel</c>, <c>m3</c>, <c>ug/m3</c>), with the common spellings
/// (<c>°C</c>, <c>m³</c>, <c>µg/m³</c>) accepted beside them.
/// </summary>
/// <remarks>
/// A quantity that is not in the table, or a unit the table does not know for its quantity, passes through unchanged:
/// the profile's author knows the device better than a table does, and a wrong guess would corrupt data silently.
/// </remarks>
public static class CanonicalUnits
{
    private static readonly Dictionary<string, Dictionary<string, UnitConversion>> Table = Build();

    /// <summary>The quantities the table knows and their canonical units.</summary>
    public static IReadOnlyDictionary<string, string> Quantities { get; } =
        Table.ToDictionary(q => q.Key, q => q.Value.Values.First().Unit, StringComparer.Ordinal);

    /// <summary>How a value of <paramref name="quantity"/> in <paramref name="unit"/> becomes canonical; identity when the table does not say.</summary>
    public static UnitConversion For(string? quantity, string unit)
    {
        ArgumentNullException.ThrowIfNull(unit);
        return quantity is not null && Table.TryGetValue(quantity, out var units) && units.TryGetValue(unit, out var conversion)
            ? conversion
            : UnitConversion.Identity(unit);
    }

    private static Dictionary<string, Dictionary<string, UnitConversion>> Build()
    {
        var energy = Units("kWh", ("Wh", 1, 1_000), ("MWh", 1_000, 1), ("GWh", 1_000_000, 1), ("kJ", 1, 3_600), ("MJ", 1_000, 3_600), ("GJ", 1_000_000, 3_600));
        var power = Units("W", ("mW", 1, 1_000), ("kW", 1_000, 1), ("MW", 1_000_000, 1));
        var volume = Units("m3", ("m³", 1, 1), ("L", 1, 1_000), ("l", 1, 1_000), ("dm3", 1, 1_000));
        var temperature = Units("Cel", ("°C", 1, 1), ("degC", 1, 1));
        temperature["K"] = new UnitConversion("Cel", 1, 1, -273.15);
        temperature["[degF]"] = new UnitConversion("Cel", 5, 9, -32);
        temperature["°F"] = new UnitConversion("Cel", 5, 9, -32);
        var particles = Units("ug/m3", ("µg/m3", 1, 1), ("µg/m³", 1, 1), ("mg/m3", 1_000, 1));

        return new Dictionary<string, Dictionary<string, UnitConversion>>(StringComparer.Ordinal)
        {
            ["active_energy"] = energy,
            ["reactive_energy"] = Units("kvarh", ("varh", 1, 1_000), ("Mvarh", 1_000, 1)),
            ["heat_energy"] = energy,
            ["active_power"] = power,
            ["heat_power"] = power,
            ["reactive_power"] = Units("var", ("kvar", 1_000, 1)),
            ["voltage"] = Units("V", ("mV", 1, 1_000), ("kV", 1_000, 1)),
            ["current"] = Units("A", ("mA", 1, 1_000), ("kA", 1_000, 1)),
            ["volume"] = volume,
            ["volume_flow"] = Units("m3/h", ("m³/h", 1, 1), ("L/h", 1, 1_000), ("l/h", 1, 1_000), ("L/min", 60, 1_000), ("L/s", 3_600, 1_000), ("m3/s", 3_600, 1)),
            ["temperature"] = temperature,
            ["temperature_difference"] = Units("K", ("Cel", 1, 1), ("°C", 1, 1), ("mK", 1, 1_000)),
            ["pressure"] = Units("kPa", ("Pa", 1, 1_000), ("hPa", 1, 10), ("MPa", 1_000, 1), ("bar", 100, 1), ("mbar", 1, 10)),
            ["pm2_5"] = particles,
            ["pm10"] = particles,
            ["wind_speed"] = Units("m/s", ("km/h", 1_000, 3_600)),
            ["frequency"] = Units("Hz", ("kHz", 1_000, 1)),
        };
    }

    private static Dictionary<string, UnitConversion> Units(string canonical, params (string Unit, double Multiplier, double Divisor)[] others)
    {
        var units = new Dictionary<string, UnitConversion>(StringComparer.Ordinal) { [canonical] = UnitConversion.Identity(canonical) };
        foreach (var (unit, multiplier, divisor) in others)
            units[unit] = new UnitConversion(canonical, multiplier, divisor, 0);
        return units;
    }
}
