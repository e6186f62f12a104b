using System.Diagnostics.CodeAnalysis;
using CivicEdge.Fleet.Contracts;
using CivicEdge.Hardware;
using CivicEdge.Protocols.Modbus;

namespace CivicEdge.Gateway.Acquisition;

/// <summary>Turns the registers of one point into a value with its unit and quality, as the profile describes.</summary>
public static class PointDecoder
{
    /// <summary>
    /// Decodes <paramref name="point"/> from its registers: value = raw × scale + offset, quality
    /// <see cref="Quality.OutOfRange"/> outside the profile's min/max, else <see cref="Quality.Good"/>.
    /// </summary>
    /// <param name="point">The point's definition.</param>
    /// <param name="registers">The point's registers, as many as its type occupies.</param>
    /// <param name="value">The decoded value, when this returns true.</param>
    /// <returns>
    /// False when the device sent a float NaN or infinity (or scaling overflows): such a number means nothing, no
    /// range check can classify it, and the JSON contract cannot carry it.
    /// </returns>
    public static bool TryDecode(PointDefinition point, ReadOnlySpan<ushort> registers, [NotNullWhen(true)] out PointValue? value)
    {
        ArgumentNullException.ThrowIfNull(point);
        var raw = RegisterValueCodec.Decode(registers, point.Type, point.Order);
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
