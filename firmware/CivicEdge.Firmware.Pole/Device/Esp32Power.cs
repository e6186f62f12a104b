using System;
using CivicEdge.Firmware.Core.Hal;
using nanoFramework.Hardware.Esp32;
using nanoFramework.Runtime.Native;

namespace CivicEdge.Firmware.Pole.Device;

/// <summary>Reset cause, reboot and deep sleep on the ESP32.</summary>
public sealed class Esp32Power : IPowerControl
{
    public ResetCause LastResetCause
    {
        get
        {
            // The ESP32 reports how it woke from deep sleep; anything else is a cold start for the application.
            return Sleep.GetWakeupCause() == Sleep.WakeupReason.Undefined ? ResetCause.PowerOn : ResetCause.DeepSleepWake;
        }
    }

    public void Reboot() => Power.RebootDevice();

    public void DeepSleep(int milliseconds)
    {
        Sleep.EnableWakeupByTimer(TimeSpan.FromTicks(milliseconds * TimeSpan.TicksPerMillisecond));
        Sleep.StartDeepSleep();
    }
}
