using System;
using CivicEdge.Firmware.Core.Hal;
using nanoFramework.Hardware.Esp32;
using nanoFramework.Runtime.Native;

namespace CivicEdge.Firmware.Core.Device;

/// <summary>
/// Reset and deep sleep on an ESP32. The reset cause is what the firmware wrote before it restarted itself (a reboot
/// or the software watchdog), or a wake-up from deep sleep as the chip reports it; anything else, a power cycle as
/// well as a native crash, is <see cref="ResetCause.Unknown"/>, which the boot guard counts as a failed boot: a crash
/// loop must reach safe mode even though it cannot be told apart from a power cut.
/// </summary>
public sealed class DevicePowerControl : IPowerControl
{
    private readonly ISettingsStorage _storage;

    public DevicePowerControl(ISettingsStorage storage)
    {
        if (storage == null)
        {
            throw new ArgumentNullException(nameof(storage));
        }

        _storage = storage;
        LastResetCause = ReadCause();
    }

    public ResetCause LastResetCause { get; }

    public void Reboot()
    {
        ResetMarker.Write(_storage, ResetCause.Software);
        Power.RebootDevice();
    }

    public void DeepSleep(int milliseconds)
    {
        Sleep.EnableWakeupByTimer(TimeSpan.FromMilliseconds(milliseconds));
        Sleep.StartDeepSleep();
    }

    private ResetCause ReadCause()
    {
        if (Sleep.GetWakeupCause() != Sleep.WakeupCause.Undefined)
        {
            _storage.Erase(ResetMarker.Slot);
            return ResetCause.DeepSleepWake;
        }

        byte[] marker = _storage.Read(ResetMarker.Slot);
        if (marker == null || marker.Length != 1)
        {
            return ResetCause.Unknown;
        }

        _storage.Erase(ResetMarker.Slot);
        return (ResetCause)marker[0];
    }
}
