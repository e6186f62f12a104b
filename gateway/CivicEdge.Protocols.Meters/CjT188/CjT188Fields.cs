using System.Diagnostics.CodeAnalysis;

namespace CivicEdge.Protocols.Meters.CjT188;

/// <summary>
/// The field formats that the meter data of every meter type is built from (CJ/T 188-2004 Table 4): BCD values with
/// fixed decimals, least significant byte first, each optionally followed by a unit code; the 7-byte real time.
/// </summary>
internal static class CjT188Fields
{
    public const int TimeLength = 7;

    public static bool TryReadValue(
        ReadOnlySpan<byte> payload, int at, int length, int decimals, string what, out decimal value, [NotNullWhen(false)] out string? reason)
    {
        value = 0;
        if (!PackedBcd.TryDecode(payload.Slice(at, length), out var raw, out int bad))
        {
            reason = $"expected BCD digits in the {what} (byte {at + bad} of the meter data), found {payload[at + bad]:X2}H";
            return false;
        }

        value = new decimal((long)raw) / Scale(decimals);
        reason = null;
        return true;
    }

    public static bool TryReadValueWithUnit(
        ReadOnlySpan<byte> payload, int at, int decimals, string what, out decimal value, out CjT188Unit unit, [NotNullWhen(false)] out string? reason)
    {
        unit = (CjT188Unit)payload[at + 4];
        if (!TryReadValue(payload, at, 4, decimals, what, out value, out reason))
            return false;
        if (!CjT188UnitTable.TryDescribe(payload[at + 4], out _, out _))
        {
            reason = $"expected a unit code of the standard's table after the {what} (byte {at + 4}), found {payload[at + 4]:X2}H";
            return false;
        }

        return true;
    }

    public static void WriteValue(Span<byte> field, int length, int decimals, decimal value)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(value);
        PackedBcd.Encode((ulong)decimal.Round(value * Scale(decimals), MidpointRounding.AwayFromZero), field[..length]);
    }

    public static void WriteValueWithUnit(Span<byte> field, int decimals, decimal value, CjT188Unit unit)
    {
        WriteValue(field, 4, decimals, value);
        field[4] = (byte)unit;
    }

    /// <summary>ss mm hh DD MM YYYY, each BCD, least significant first; all zeros is a meter without a clock.</summary>
    public static bool TryReadTime(ReadOnlySpan<byte> payload, int at, out DateTime? time, [NotNullWhen(false)] out string? reason)
    {
        var field = payload.Slice(at, TimeLength);
        time = null;
        reason = null;
        if (!field.ContainsAnyExcept((byte)0))
            return true;
        Span<int> parts = stackalloc int[TimeLength];
        for (int i = 0; i < TimeLength; i++)
        {
            if (!PackedBcd.TryDecode(field.Slice(i, 1), out var part, out _))
            {
                reason = $"expected BCD in the real time (byte {at + i} of the meter data), found {field[i]:X2}H";
                return false;
            }

            parts[i] = (int)part;
        }

        int year = parts[6] * 100 + parts[5];
        if (parts[0] > 59 || parts[1] > 59 || parts[2] > 23 || parts[4] is < 1 or > 12 || year < 1 || parts[3] < 1 || parts[3] > DateTime.DaysInMonth(year, parts[4]))
        {
            reason = $"expected a valid real time, found {year:D4}-{parts[4]:D2}-{parts[3]:D2} {parts[2]:D2}:{parts[1]:D2}:{parts[0]:D2}";
            return false;
        }

        time = new DateTime(year, parts[4], parts[3], parts[2], parts[1], parts[0], DateTimeKind.Unspecified);
        return true;
    }

    public static void WriteTime(Span<byte> field, DateTime? time)
    {
        if (time is not { } t)
        {
            field[..TimeLength].Clear();
            return;
        }

        field[0] = PackedBcd.ToByte(t.Second);
        field[1] = PackedBcd.ToByte(t.Minute);
        field[2] = PackedBcd.ToByte(t.Hour);
        field[3] = PackedBcd.ToByte(t.Day);
        field[4] = PackedBcd.ToByte(t.Month);
        field[5] = PackedBcd.ToByte(t.Year % 100);
        field[6] = PackedBcd.ToByte(t.Year / 100);
    }

    private static decimal Scale(int decimals)
    {
        decimal scale = 1;
        for (int i = 0; i < decimals; i++)
            scale *= 10;
        return scale;
    }
}
