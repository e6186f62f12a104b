using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using CivicEdge.Protocols.MBus;
using CivicEdge.Protocols.Meters;

namespace CivicEdge.Gateway.Configuration;

/// <summary>
/// The address of a meter on a meter line, as configured in a device's <c>Address</c>: an M-Bus primary address or
/// secondary address, or a CJ/T 188 or DL/T 645 meter address.
/// </summary>
/// <param name="Primary">The M-Bus primary address 0..250 (EN 13757-2 §5.3: 251..255 are reserved, test and broadcast).</param>
/// <param name="Secondary">The M-Bus secondary address (identification number), selected before each read (EN 13757-3 §11.5).</param>
/// <param name="Meter">The CJ/T 188 (7-byte) or DL/T 645 (6-byte) meter address.</param>
public sealed record MeterDeviceAddress(byte? Primary, MbusSecondaryAddress? Secondary, MeterAddress? Meter)
{
    /// <summary>The highest M-Bus primary address a slave may have.</summary>
    public const int MaxMbusPrimary = 250;

    /// <summary>Parses <paramref name="text"/> as an address on a line of <paramref name="kind"/>.</summary>
    /// <param name="kind">The meter line's kind.</param>
    /// <param name="text">The configured address.</param>
    /// <param name="address">The address, when this returns true.</param>
    /// <param name="problem">What is wrong and what was expected, when this returns false, e.g. <c>is missing; expected …</c>.</param>
    public static bool TryParse(BusKind kind, string? text, [NotNullWhen(true)] out MeterDeviceAddress? address, [NotNullWhen(false)] out string? problem)
    {
        address = null;
        var expected = kind switch
        {
            BusKind.MBus => $"an M-Bus primary address 0..{MaxMbusPrimary} or an 8-digit secondary address such as 12345678",
            BusKind.CjT188 => "the 14-digit CJ/T 188 meter address as printed on the meter, e.g. 20240000001234",
            BusKind.Dlt645 => "the 12-digit DL/T 645 meter address as printed on the meter, e.g. 000012345678",
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Expected a meter line."),
        };
        if (string.IsNullOrWhiteSpace(text))
        {
            problem = $"is missing; expected {expected}.";
            return false;
        }

        var trimmed = text.Trim();
        switch (kind)
        {
            case BusKind.MBus when trimmed.Length <= 3 && int.TryParse(trimmed, NumberStyles.None, CultureInfo.InvariantCulture, out var primary):
                if (primary > MaxMbusPrimary)
                    break;
                address = new MeterDeviceAddress((byte)primary, null, null);
                problem = null;
                return true;
            case BusKind.MBus when trimmed.Length == 8 && trimmed.All(char.IsAsciiDigit):
                address = new MeterDeviceAddress(null, MbusSecondaryAddress.Parse(trimmed), null);
                problem = null;
                return true;
            case BusKind.CjT188 or BusKind.Dlt645:
                var digits = kind == BusKind.CjT188 ? 14 : 12;
                // A configured meter is one meter: no wildcard digits (they address whichever meter answers).
                if (trimmed.Length == digits && trimmed.All(char.IsAsciiDigit))
                {
                    address = new MeterDeviceAddress(null, null, MeterAddress.Parse(trimmed, digits / 2));
                    problem = null;
                    return true;
                }
                break;
        }

        problem = $"'{text}' is not a meter address; expected {expected}.";
        return false;
    }

    public override string ToString() => Primary?.ToString(CultureInfo.InvariantCulture) ?? Secondary?.ToString() ?? Meter!.Value.ToString();
}
