using System.Diagnostics.CodeAnalysis;
using CivicEdge.Fleet.Contracts;
using CivicEdge.Hardware;
using CivicEdge.Protocols.Modbus;

namespace CivicEdge.Gateway.Acquisition;

/// <summary>Turns the registers (or the bit) of one point into a value with its unit and quality, as the profile describes.</summary>
public static class PointDecoder
{
    /// <summary>
    /// Decodes <paramref name="point"/> from its registers: raw is the value of the point's type, or for a bit field
    /// the field read as an unsigned number; value = raw × scale + offset, quality <see cref="Quality.OutOfRange"/>
    /// outside the profile's min/max, else <see cref="Quality.Good"/>.
    /// </summary>
    /// <param name="point">The point's definition.</param>
    /// <param name="registers">The point's registers, as many as its type occupies.</param>
    /// <param name="value">The decoded value, when this returns true.</param>
    /// <returns>
    /// False when the device sent something that is not a number: a float NaN or infinity (or scaling overflows), or
    /// a BCD register with a nibble above 9. Such a value means nothing, no range check can classify it, and the JSON
    /// contract cannot carry it.
    /// </returns>
    public static bool TryDecode(PointDefinition point, ReadOnlySpan<ushort> registers, [NotNullWhen(true)] out PointValue? value)
    {
        ArgumentNullException.ThrowIfNull(point);
        if (point.Bits is { } bits)
        {
            // The bits are numbered in the register's value, so a byte-swapping device's register is put right first.
            var register = (ushort)RegisterValueCodec.Decode(registers, RegisterDataType.UInt16, point.Order);
            return TryScale(point, RegisterValueCodec.DecodeBitField(register, bits.First, bits.Count), out value);
        }
        if (!RegisterValueCodec.TryDecode(registers, point.Type, point.Order, out var raw, out _))
        {
            value = null;
            return false;
        }
        return TryScale(point, raw, out value);
    }

    /// <summary>Decodes a coil or discrete input: raw is 1 when the bit is set, else 0.</summary>
    public static bool TryDecode(PointDefinition point, bool bit, [NotNullWhen(true)] out PointValue? value)
    {
        ArgumentNullException.ThrowIfNull(point);
        return TryScale(point, bit ? 1 : 0, out value);
    }

    /// <summary>
    /// Decodes a meter point from the value its meter sent in <paramref name="meterUnit"/>: converted to the point's unit
    /// (<see cref="MeterUnits"/>), then value = converted × scale + offset, with the range check of a register point.
    /// </summary>
    /// <returns>False when the units do not convert or the value is not a finite number.</returns>
    public static bool TryDecode(PointDefinition point, double meterValue, string meterUnit, [NotNullWhen(true)] out PointValue? value)
    {
        ArgumentNullException.ThrowIfNull(point);
        ArgumentNullException.ThrowIfNull(meterUnit);
        if (!MeterUnits.TryConvert(meterValue, meterUnit, point.Unit, out var converted, out _))
        {
            value = null;
            return false;
        }
        return TryScale(point, converted, out value);
    }

    /// <summary>True for a point whose value is a number, i.e. telemetry; text points are not.</summary>
    public static bool IsNumeric(PointDefinition point)
    {
        ArgumentNullException.ThrowIfNull(point);
        return !point.IsText;
    }

    private static bool TryScale(PointDefinition point, double raw, [NotNullWhen(true)] out PointValue? value)
    {
        var scaled = raw * point.Scale + point.Offset;
        if (!double.IsFinite(scaled))
        {
            value = null;
            return false;
        }

        var inRange = (point.Min is not { } min || scaled >= min) && (point.Max is not { } max || scaled <= max);
        value = new PointValue(point.Name, scaled, point.Unit, point.Quantity, inRange ? Quality.Good : Quality.OutOfRange);
        return true;
    }
}
