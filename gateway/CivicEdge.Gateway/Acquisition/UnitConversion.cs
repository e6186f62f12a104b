namespace CivicEdge.Gateway.Acquisition;

/// <summary>
/// How a value in one unit becomes a value in the canonical unit of its quantity:
/// canonical = (value + <see cref="Shift"/>) × <see cref="Multiplier"/> ÷ <see cref="Divisor"/>. Decimal prefixes are
/// written as a multiplier or divisor of a power of ten rather than as a factor such as 0.001, which binary floating
/// point cannot hold exactly: 1234 Wh ÷ 1000 is exactly the double nearest 1.234, 1234 × 0.001 is not.
/// </summary>
/// <param name="Unit">The canonical unit the value is converted to.</param>
/// <param name="Multiplier">Multiplies the shifted value.</param>
/// <param name="Divisor">Divides the product.</param>
/// <param name="Shift">Added first, in the source unit: the offset between scales with different zeros (K, °F).</param>
public readonly record struct UnitConversion(string Unit, double Multiplier, double Divisor, double Shift)
{
    /// <summary>No conversion: the value stays in <paramref name="unit"/>.</summary>
    public static UnitConversion Identity(string unit) => new(unit, 1, 1, 0);

    /// <summary>True when the number stays as it is (the unit may still be renamed, e.g. °C to Cel).</summary>
    public bool KeepsValue => Multiplier == 1 && Divisor == 1 && Shift == 0;

    /// <summary>Converts a value, e.g. a reading or an alarm limit.</summary>
    public double Apply(double value) => KeepsValue ? value : (value + Shift) * Multiplier / Divisor;

    /// <summary>Converts a difference of two values, e.g. a deadband or a hysteresis, which the scales' zeros do not affect.</summary>
    public double ApplyToDifference(double difference) => KeepsValue ? difference : difference * Multiplier / Divisor;
}
