namespace CivicEdge.Gateway.Configuration;

/// <summary>
/// One entry of <c>Gpio:PulseCounters</c>: the pulse output of a water or gas meter (a reed contact or an open
/// collector pulling the pin low, hence active-low with a pull-up by default), counted into a persisted total.
/// </summary>
public sealed class PulseCounterOptions : GpioInputOptions
{
    public PulseCounterOptions() => ActiveLow = true;

    /// <summary>The volume one pulse stands for, in litres (e.g. 10), to the millilitre.</summary>
    public double LitresPerPulse { get; set; }

    /// <summary>
    /// How long a pulse must last to count, and how long the pause after it must last: shorter levels are contact
    /// bounce or interference. Meter pulses last tens of milliseconds or more (EN 62053-31 S0 outputs: at least 30 ms).
    /// </summary>
    public TimeSpan MinPulseWidth { get; set; } = TimeSpan.FromMilliseconds(20);

    /// <summary>The meter's register when counting began, in m³, so the reported total matches the meter's face.</summary>
    public double StartTotal { get; set; }

    /// <summary>How often the total and the flow rate are reported.</summary>
    public TimeSpan ReportInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>The billing point of the total volume, in m³.</summary>
    public string TotalPoint { get; set; } = "volume";

    /// <summary>The telemetry point of the flow rate, in m³/h.</summary>
    public string FlowPoint { get; set; } = "flow_rate";

    /// <summary>How long without a pulse before the flow rate is reported as zero.</summary>
    public TimeSpan NoFlowAfter { get; set; } = TimeSpan.FromMinutes(15);
}
