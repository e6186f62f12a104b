using System;
using CivicEdge.Firmware.Core.Hal;
using nanoFramework.Hardware.Esp32;
using nanoFramework.Runtime.Native;

namespace CivicEdge.Firmware.MeterNode.Device;

/// <summary>
/// Deep sleep on the ESP32 with two wake sources: the RTC timer (the next report) and contact A (EXT0). EXT0 wakes on a
/// level, so it is armed for the level contact A does not have now: the next edge of the dial wakes the node, never the
/// position it rests in.
/// </summary>
public sealed class Esp32PowerControl : IPowerControl
{
    private readonly Sleep.WakeupGpioPin _wakePin;
    private readonly IDigitalInput _contactA;

    public Esp32PowerControl(Sleep.WakeupGpioPin wakePin, IDigitalInput contactA)
    {
        _wakePin = wakePin;
        _contactA = contactA;
    }

    public ResetCause LastResetCause
    {
        get
        {
            Sleep.WakeupCause cause = Sleep.GetWakeupCause();
            return cause == Sleep.WakeupCause.Undefined ? ResetCause.PowerOn : ResetCause.DeepSleepWake;
        }
    }

    public void Reboot() => Power.RebootDevice();

    public void DeepSleep(int milliseconds)
    {
        Sleep.EnableWakeupByTimer(TimeSpan.FromTicks((long)milliseconds * TimeSpan.TicksPerMillisecond));
        Sleep.EnableWakeupByPin(_wakePin, _contactA.Read() ? 0 : 1);
        Sleep.StartDeepSleep();
    }
}
