using System;
using CivicEdge.Firmware.Core.Hal;
using nanoFramework.Runtime.Native;

namespace CivicEdge.Firmware.Core.Device;

/// <summary>
/// The device's clocks: uptime from the system tick (monotonic), wall time from the RTC that nanoFramework keeps in
/// UTC, set from SNTP, GNSS or a gateway's time broadcast.
/// </summary>
public sealed class DeviceClock : IClock
{
    public DateTime UtcNow => DateTime.UtcNow;

    public bool IsSynchronized { get; private set; }

    public long UptimeMilliseconds => Environment.TickCount64;

    public void Set(DateTime utcNow)
    {
        IsSynchronized = Rtc.SetSystemTime(utcNow);
    }
}
