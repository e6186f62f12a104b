namespace CivicEdge.Firmware.Pole.Metering;

/// <summary>The totals that must survive reboots and power loss, as the counter journal stores them.</summary>
public sealed class EnergyCounters
{
    /// <summary>Energy drawn by the lamp since installation, mWh.</summary>
    public long EnergyMilliwattHours;

    /// <summary>Time the lamp has been lit since installation, ms.</summary>
    public long BurningMilliseconds;

    /// <summary>The wall-clock time (UTC ticks) when the counters were saved, 0 if it was unknown: the schedule's time after a reboot without network.</summary>
    public long SavedAtUtcTicks;
}
