using System.Diagnostics.CodeAnalysis;

namespace CivicEdge.Hardware;

/// <summary>
/// The units meters send (M-Bus VIFs, CJ/T 188 unit codes, DL/T 645 formats) and how one becomes another of the same
/// dimension, so that a profile states the unit it wants and the reading is scaled to it whatever the meter sends
/// (an M-Bus heat meter may send Wh × 10³ this year and MWh after a firmware update).
/// </summary>
public static class MeterUnits
{
    // unit → (dimension, size in the dimension's base unit); a size is written as a ratio so that decimal prefixes stay exact
    private static readonly Dictionary<string, (string Dimension, double Numerator, double Denominator)> Units = new(StringComparer.Ordinal)
    {
        ["Wh"] = ("energy", 1, 1),
        ["kWh"] = ("energy", 1000, 1),
        ["MWh"] = ("energy", 1_000_000, 1),
        ["GWh"] = ("energy", 1_000_000_000, 1),
        ["J"] = ("energy", 1, 3600),
        ["kJ"] = ("energy", 1000, 3600),
        ["MJ"] = ("energy", 1_000_000, 3600),
        ["GJ"] = ("energy", 1_000_000_000, 3600),
        ["varh"] = ("reactive energy", 1, 1),
        ["kvarh"] = ("reactive energy", 1000, 1),
        ["VAh"] = ("apparent energy", 1, 1),
        ["kVAh"] = ("apparent energy", 1000, 1),
        ["W"] = ("power", 1, 1),
        ["kW"] = ("power", 1000, 1),
        ["MW"] = ("power", 1_000_000, 1),
        ["J/h"] = ("power", 1, 3600),
        ["var"] = ("reactive power", 1, 1),
        ["kvar"] = ("reactive power", 1000, 1),
        ["VA"] = ("apparent power", 1, 1),
        ["kVA"] = ("apparent power", 1000, 1),
        ["m3"] = ("volume", 1, 1),
        ["m^3"] = ("volume", 1, 1),
        ["m³"] = ("volume", 1, 1),
        ["L"] = ("volume", 1, 1000),
        ["l"] = ("volume", 1, 1000),
        ["m3/h"] = ("volume flow", 1, 1),
        ["m^3/h"] = ("volume flow", 1, 1),
        ["m³/h"] = ("volume flow", 1, 1),
        ["m^3/min"] = ("volume flow", 60, 1),
        ["m^3/s"] = ("volume flow", 3600, 1),
        ["L/h"] = ("volume flow", 1, 1000),
        ["l/h"] = ("volume flow", 1, 1000),
        ["kg"] = ("mass", 1, 1),
        ["t"] = ("mass", 1000, 1),
        ["kg/h"] = ("mass flow", 1, 1),
        ["°C"] = ("temperature", 1, 1),
        ["Cel"] = ("temperature", 1, 1),
        ["K"] = ("temperature difference", 1, 1),
        ["bar"] = ("pressure", 1, 1),
        ["kPa"] = ("pressure", 1, 100),
        ["MPa"] = ("pressure", 10, 1),
        ["V"] = ("voltage", 1, 1),
        ["kV"] = ("voltage", 1000, 1),
        ["A"] = ("current", 1, 1),
        ["mA"] = ("current", 1, 1000),
        ["Hz"] = ("frequency", 1, 1),
        ["s"] = ("duration", 1, 1),
        ["min"] = ("duration", 60, 1),
        ["h"] = ("duration", 3600, 1),
        ["d"] = ("duration", 86400, 1),
        [""] = ("dimensionless", 1, 1),
        ["1"] = ("dimensionless", 1, 1),
    };

    /// <summary>True when a value in <paramref name="from"/> can be given in <paramref name="to"/>.</summary>
    public static bool AreCompatible(string from, string to) =>
        Units.TryGetValue(from, out var a) && Units.TryGetValue(to, out var b) && a.Dimension == b.Dimension;

    /// <summary>Converts <paramref name="value"/> from <paramref name="from"/> to <paramref name="to"/>.</summary>
    /// <returns>False, with the reason, when either unit is unknown or they measure different things.</returns>
    public static bool TryConvert(double value, string from, string to, out double converted, [NotNullWhen(false)] out string? reason)
    {
        ArgumentNullException.ThrowIfNull(from);
        ArgumentNullException.ThrowIfNull(to);
        converted = 0;
        if (!Units.TryGetValue(from, out var a))
        {
            reason = $"the meter sent the unit '{from}', which the gateway cannot convert";
            return false;
        }
        if (!Units.TryGetValue(to, out var b) || a.Dimension != b.Dimension)
        {
            reason = $"the meter sent {a.Dimension} in '{from}', which cannot be given in '{to}'";
            return false;
        }
        converted = from == to || (a.Numerator == b.Numerator && a.Denominator == b.Denominator)
            ? value
            : value * (a.Numerator * b.Denominator) / (a.Denominator * b.Numerator);
        reason = null;
        return true;
    }

    /// <summary>The dimension of <paramref name="unit"/>, e.g. <c>energy</c>; null when it is not a meter unit.</summary>
    public static string? DimensionOf(string unit) => Units.TryGetValue(unit, out var u) ? u.Dimension : null;
}
