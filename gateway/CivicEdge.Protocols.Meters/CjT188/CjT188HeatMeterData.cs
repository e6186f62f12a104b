using System.Diagnostics.CodeAnalysis;

namespace CivicEdge.Protocols.Meters.CjT188;

/// <summary>
/// The answer to read meter data (DI 901FH) of a heat meter, types 20H and 21H (CJ/T 188-2004 Table 4), 43 bytes after
/// SER (L = 2EH): heat at the settlement date, current heat, heat power, flow rate, cumulative flow (4 bytes BCD and a
/// unit code each; flow rate XXXX.XXXX, the others XXXXXX.XX), supply and return temperature (3 bytes XXXX.XX °C),
/// cumulative working time (3 bytes XXXXXX h), real time and status.
/// </summary>
public sealed record CjT188HeatMeterData
{
    public const int Length = 43;

    public required decimal SettlementHeat { get; init; }
    public required CjT188Unit SettlementHeatUnit { get; init; }
    public required decimal CurrentHeat { get; init; }
    public required CjT188Unit CurrentHeatUnit { get; init; }
    public required decimal HeatPower { get; init; }
    public required CjT188Unit HeatPowerUnit { get; init; }
    public required decimal FlowRate { get; init; }
    public required CjT188Unit FlowRateUnit { get; init; }
    public required decimal CumulativeFlow { get; init; }
    public required CjT188Unit CumulativeFlowUnit { get; init; }

    /// <summary>Supply water temperature in °C.</summary>
    public required decimal SupplyTemperature { get; init; }

    /// <summary>Return water temperature in °C.</summary>
    public required decimal ReturnTemperature { get; init; }

    /// <summary>Cumulative working time in hours.</summary>
    public required decimal WorkingHours { get; init; }

    /// <summary>The meter's clock; null when the meter sends all zeros.</summary>
    public required DateTime? MeterTime { get; init; }

    public required CjT188Status Status { get; init; }

    public static bool TryDecode(ReadOnlySpan<byte> payload, [NotNullWhen(true)] out CjT188HeatMeterData? data, [NotNullWhen(false)] out string? reason)
    {
        data = null;
        if (payload.Length != Length)
        {
            reason = $"expected {Length} bytes of heat meter data after DI and SER, found {payload.Length}";
            return false;
        }

        if (!CjT188Fields.TryReadValueWithUnit(payload, 0, 2, "settlement-date heat", out var settlementHeat, out var settlementHeatUnit, out reason)
            || !CjT188Fields.TryReadValueWithUnit(payload, 5, 2, "current heat", out var currentHeat, out var currentHeatUnit, out reason)
            || !CjT188Fields.TryReadValueWithUnit(payload, 10, 2, "heat power", out var power, out var powerUnit, out reason)
            || !CjT188Fields.TryReadValueWithUnit(payload, 15, 4, "flow rate", out var flowRate, out var flowRateUnit, out reason)
            || !CjT188Fields.TryReadValueWithUnit(payload, 20, 2, "cumulative flow", out var flow, out var flowUnit, out reason)
            || !CjT188Fields.TryReadValue(payload, 25, 3, 2, "supply temperature", out var supply, out reason)
            || !CjT188Fields.TryReadValue(payload, 28, 3, 2, "return temperature", out var @return, out reason)
            || !CjT188Fields.TryReadValue(payload, 31, 3, 0, "cumulative working time", out var hours, out reason)
            || !CjT188Fields.TryReadTime(payload, 34, out var time, out reason))
            return false;

        data = new CjT188HeatMeterData
        {
            SettlementHeat = settlementHeat, SettlementHeatUnit = settlementHeatUnit,
            CurrentHeat = currentHeat, CurrentHeatUnit = currentHeatUnit,
            HeatPower = power, HeatPowerUnit = powerUnit,
            FlowRate = flowRate, FlowRateUnit = flowRateUnit,
            CumulativeFlow = flow, CumulativeFlowUnit = flowUnit,
            SupplyTemperature = supply, ReturnTemperature = @return, WorkingHours = hours,
            MeterTime = time, Status = new CjT188Status(payload[41], payload[42]),
        };
        return true;
    }

    /// <summary>Writes the 43 bytes, as a meter sends them.</summary>
    public int Encode(Span<byte> payload)
    {
        if (payload.Length < Length)
            throw new ArgumentException($"Heat meter data takes {Length} bytes; the buffer has {payload.Length}.", nameof(payload));
        CjT188Fields.WriteValueWithUnit(payload, 2, SettlementHeat, SettlementHeatUnit);
        CjT188Fields.WriteValueWithUnit(payload[5..], 2, CurrentHeat, CurrentHeatUnit);
        CjT188Fields.WriteValueWithUnit(payload[10..], 2, HeatPower, HeatPowerUnit);
        CjT188Fields.WriteValueWithUnit(payload[15..], 4, FlowRate, FlowRateUnit);
        CjT188Fields.WriteValueWithUnit(payload[20..], 2, CumulativeFlow, CumulativeFlowUnit);
        CjT188Fields.WriteValue(payload[25..], 3, 2, SupplyTemperature);
        CjT188Fields.WriteValue(payload[28..], 3, 2, ReturnTemperature);
        CjT188Fields.WriteValue(payload[31..], 3, 0, WorkingHours);
        CjT188Fields.WriteTime(payload[34..], MeterTime);
        payload[41] = Status.St0;
        payload[42] = Status.St1;
        return Length;
    }
}
