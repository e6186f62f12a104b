using System.Diagnostics.CodeAnalysis;

namespace CivicEdge.Protocols.Meters.CjT188;

/// <summary>Unit codes to the unit symbol and the factor the value is multiplied by (e.g. 0AH is MWh × 100).</summary>
public static class CjT188UnitTable
{
    public static bool TryDescribe(byte code, [NotNullWhen(true)] out string? symbol, out decimal factor)
    {
        (symbol, factor) = (CjT188Unit)code switch
        {
            CjT188Unit.Joule => ("J", 1m),
            CjT188Unit.WattHour => ("Wh", 1m),
            CjT188Unit.KilowattHour => ("kWh", 1m),
            CjT188Unit.MegawattHour => ("MWh", 1m),
            CjT188Unit.HundredMegawattHours => ("MWh", 100m),
            CjT188Unit.Kilojoule => ("kJ", 1m),
            CjT188Unit.Megajoule => ("MJ", 1m),
            CjT188Unit.Gigajoule => ("GJ", 1m),
            CjT188Unit.HundredGigajoules => ("GJ", 100m),
            CjT188Unit.Watt => ("W", 1m),
            CjT188Unit.Kilowatt => ("kW", 1m),
            CjT188Unit.Megawatt => ("MW", 1m),
            CjT188Unit.Litre => ("L", 1m),
            CjT188Unit.CubicMetre => ("m³", 1m),
            CjT188Unit.LitrePerHour => ("L/h", 1m),
            CjT188Unit.CubicMetrePerHour => ("m³/h", 1m),
            _ => ((string?)null, 0m),
        };
        return symbol is not null;
    }
}
