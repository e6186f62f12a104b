namespace CivicEdge.Firmware.Core.Hal;

/// <summary>Why the device last started, as its reset controller reports it.</summary>
public enum ResetCause
{
    /// <summary>Power was applied (first start or after a power loss).</summary>
    PowerOn,

    /// <summary>The firmware asked for a restart.</summary>
    Software,

    /// <summary>The watchdog expired: the firmware hung.</summary>
    Watchdog,

    /// <summary>The supply dipped below the brown-out threshold.</summary>
    BrownOut,

    /// <summary>Woken from deep sleep by its timer or a wake-up pin.</summary>
    DeepSleepWake,

    /// <summary>The reset controller gave no reason.</summary>
    Unknown,
}
