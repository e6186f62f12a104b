using CivicEdge.Firmware.Core.Hal;

namespace CivicEdge.Firmware.Core.Device;

/// <summary>
/// Why the firmware is about to restart, written just before it does (a deliberate reboot, the software watchdog),
/// because the ESP32 port of nanoFramework does not tell managed code the reset reason. Read and erased at the next
/// boot by <see cref="DevicePowerControl"/>.
/// </summary>
internal static class ResetMarker
{
    public const string Slot = "reset-cause";

    public static void Write(ISettingsStorage storage, ResetCause cause)
    {
        storage.Write(Slot, new byte[] { (byte)cause });
    }
}
