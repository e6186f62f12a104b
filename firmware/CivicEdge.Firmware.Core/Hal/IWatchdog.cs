namespace CivicEdge.Firmware.Core.Hal;

/// <summary>
/// The hardware watchdog: once started, the device resets unless <see cref="Feed"/> is called within the timeout. The
/// main loop feeds it only after a full pass, so a hung task resets the device.
/// </summary>
public interface IWatchdog
{
    /// <summary>Arms the watchdog.</summary>
    void Start(int timeoutMilliseconds);

    /// <summary>Restarts the countdown.</summary>
    void Feed();
}
