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

        if (!CjT188Fields.TryReadValueWithUnit(payload, 0, 2, "current cumulative flow", out var current, out var currentUnit, out reason)
            || !CjT188Fields.TryReadValueWithUnit(payload, 5, 2, "settlement-date cumulative flow", out var settlement, out var settlementUnit, out reason)
            || !CjT188Fields.TryReadTime(payload, 10, out var time, out reason))
            return false;

        data = new CjT188MeterData(current, currentUnit, settlement, settlementUnit, time, new CjT188Status(payload[17], payload[18]));
        return true;
    }

    /// <summary>Writes the 19 bytes, as a meter sends them.</summary>
    public int Encode(Span<byte> payload)
    {
        if (payload.Length < Length)
            throw new ArgumentException($"Meter data takes {Length} bytes; the buffer has {payload.Length}.", nameof(payload));
        CjT188Fields.WriteValueWithUnit(payload, 2, Current, CurrentUnit);
        CjT188Fields.WriteValueWithUnit(payload[5..], 2, Settlement, SettlementUnit);
        CjT188Fields.WriteTime(payload[10..], MeterTime);
        payload[17] = Status.St0;
        payload[18] = Status.St1;
        return Length;
    }
}
