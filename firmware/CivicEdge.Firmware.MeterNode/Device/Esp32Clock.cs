using System;
using CivicEdge.Firmware.Core.Hal;
using nanoFramework.Hardware.Esp32;

namespace CivicEdge.Firmware.MeterNode.Device;

/// <summary>
/// The ESP32's clocks: the RTC keeps wall time through deep sleep (not through a power loss without a backup cell),
/// and the tick count gives uptime since this boot.
/// </summary>
public sealed class Esp32Clock : IClock
{
    // Wall time before this is the RTC's power-on default, not a time anyone set.
    private static readonly DateTime Plausible = new DateTime(2024, 1, 1);

    public DateTime UtcNow => DateTime.UtcNow;

    public bool IsSynchronized => DateTime.UtcNow >= Plausible;

    public long UptimeMilliseconds => Environment.TickCount64;

    public void Set(DateTime utcNow) => Rtc.SetSystemTime(utcNow);
}
