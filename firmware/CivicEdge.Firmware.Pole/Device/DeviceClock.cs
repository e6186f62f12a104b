using System;
using CivicEdge.Firmware.Core.Hal;
using nanoFramework.Runtime.Native;

namespace CivicEdge.Firmware.Pole.Device;

/// <summary>
/// The ESP32's clock: the system time (set by SNTP once Wi-Fi is up, or by <see cref="Set"/> from a gateway's time
/// broadcast) and the tick count since boot. The board has no battery-backed RTC, so after a power cycle the system
/// time restarts in 1970 until something sets it; <see cref="IsSynchronized"/> says whether it has been.
/// </summary>
public sealed class DeviceClock : IClock
{
    /// <summary>No firmware of this kind runs before this year: an earlier system time was never set.</summary>
    private const int FirstPlausibleYear = 2025;

    private bool _set;

    public DateTime UtcNow => DateTime.UtcNow;

    public bool IsSynchronized => _set || DateTime.UtcNow.Year >= FirstPlausibleYear;

    public long UptimeMilliseconds => Environment.TickCount64;

    public void Set(DateTime utcNow)
    {
        Rtc.SetSystemTime(utcNow);
        _set = true;
    }
}
