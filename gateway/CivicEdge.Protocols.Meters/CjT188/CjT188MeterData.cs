using System.Diagnostics.CodeAnalysis;

namespace CivicEdge.Protocols.Meters.CjT188;

/// <summary>
/// The answer to read meter data (DI 901FH) of a water or gas meter (CJ/T 188-2004 Table 4), 19 bytes after SER:
/// current cumulative flow (4 bytes BCD XXXXXX.XX, unit code), flow at the settlement date (likewise), real time
/// (7 bytes BCD ss mm hh DD MM YYYY, least significant first) and status ST0 ST1.
/// </summary>
/// <param name="Current">Current cumulative flow in <paramref name="CurrentUnit"/>.</param>
/// <param name="CurrentUnit">The unit code after the current flow.</param>
/// <param name="Settlement">Cumulative flow at the last settlement date in <paramref name="SettlementUnit"/>.</param>
/// <param name="SettlementUnit">The unit code after the settlement-date flow.</param>
/// <param name="MeterTime">The meter's clock; null when the meter sends all zeros (no clock).</param>
/// <param name="Status">ST0 ST1.</param>
public sealed record CjT188MeterData(
    decimal Current, CjT188Unit CurrentUnit, decimal Settlement, CjT188Unit SettlementUnit, DateTime? MeterTime, CjT188Status Status)
{
    public const int Length = 19;

    public static bool TryDecode(ReadOnlySpan<byte> payload, [NotNullWhen(true)] out CjT188MeterData? data, [NotNullWhen(false)] out string? reason)
    {
        data = null;
        if (payload.Length != Length)
        {
            reason = $"expected {Length} bytes of meter data after DI and SER (flow, unit, settlement flow, unit, time, status), found {payload.Length}";
            return false;
        }

        if (!TryReadFlow(payload, 0, "current cumulative flow", out var current, out var currentUnit, out reason)
            || !TryReadFlow(payload, 5, "settlement-date cumulative flow", out var settlement, out var settlementUnit, out reason)
            || !TryReadTime(payload.Slice(10, 7), 10, out var time, out reason))
            return false;

        data = new CjT188MeterData(current, currentUnit, settlement, settlementUnit, time, new CjT188Status(payload[17], payload[18]));
        return true;
    }

    /// <summary>Writes the 19 bytes, as a meter sends them.</summary>
    public int Encode(Span<byte> payload)
    {
        if (payload.Length < Length)
            throw new ArgumentException($"Meter data takes {Length} bytes; the buffer has {payload.Length}.", nameof(payload));
        WriteFlow(payload, Current, CurrentUnit);
        WriteFlow(payload[5..], Settlement, SettlementUnit);
        if (MeterTime is { } t)
        {
            if (t.Year > 9999 || t.Year < 1)
                throw new ArgumentOutOfRangeException(nameof(payload), t, "The meter time must have a four-digit year.");
            payload[10] = PackedBcd.ToByte(t.Second);
            payload[11] = PackedBcd.ToByte(t.Minute);
            payload[12] = PackedBcd.ToByte(t.Hour);
            payload[13] = PackedBcd.ToByte(t.Day);
            payload[14] = PackedBcd.ToByte(t.Month);
            payload[15] = PackedBcd.ToByte(t.Year % 100);
            payload[16] = PackedBcd.ToByte(t.Year / 100);
        }
        else
        {
            payload.Slice(10, 7).Clear();
        }

        payload[17] = Status.St0;
        payload[18] = Status.St1;
        return Length;
    }

    private static void WriteFlow(Span<byte> field, decimal value, CjT188Unit unit)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(value);
        var raw = (ulong)decimal.Round(value * 100, MidpointRounding.AwayFromZero);
        PackedBcd.Encode(raw, field[..4]);
        field[4] = (byte)unit;
    }

    private static bool TryReadFlow(
        ReadOnlySpan<byte> payload, int at, string what, out decimal value, out CjT188Unit unit, [NotNullWhen(false)] out string? reason)
    {
        value = 0;
        unit = (CjT188Unit)payload[at + 4];
        if (!PackedBcd.TryDecode(payload.Slice(at, 4), out var raw, out int bad))
        {
            reason = $"expected BCD digits in the {what} (byte {at + bad} of the meter data), found {payload[at + bad]:X2}H";
            return false;
        }

        if (!CjT188UnitTable.TryDescribe(payload[at + 4], out _, out _))
        {
            reason = $"expected a unit code of the standard's table after the {what} (byte {at + 4}), found {payload[at + 4]:X2}H";
            return false;
        }

        value = new decimal((long)raw) / 100;
        reason = null;
        return true;
    }

    private static bool TryReadTime(ReadOnlySpan<byte> field, int at, out DateTime? time, [NotNullWhen(false)] out string? reason)
    {
        time = null;
        reason = null;
        if (!field.ContainsAnyExcept((byte)0))
            return true;
        Span<int> parts = stackalloc int[7];
        for (int i = 0; i < 7; i++)
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
}
