namespace CivicEdge.Firmware.Pole.Scheduling;

/// <summary>Where the controller's idea of the time comes from.</summary>
public enum TimeSource
{
    /// <summary>Never set and nothing remembered: the schedule cannot run.</summary>
    Unknown = 0,

    /// <summary>The last time remembered before a reboot plus the uptime since: off by the length of the outage.</summary>
    Estimated = 1,

    /// <summary>The device clock was set (SNTP, GNSS, a gateway's broadcast) or kept by its RTC.</summary>
    Synchronized = 2,
}
