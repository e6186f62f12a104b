namespace CivicEdge.Firmware.Core.Hal;

/// <summary>Reset and sleep: how a battery meter node saves energy between reports, and how a device restarts.</summary>
public interface IPowerControl
{
    /// <summary>Why the device last started.</summary>
    ResetCause LastResetCause { get; }

    /// <summary>Restarts the device now.</summary>
    void Reboot();

    /// <summary>
    /// Sleeps for <paramref name="milliseconds"/> or until a wake-up pin (e.g. a pulse input) fires; RAM is lost, so
    /// everything worth keeping is in settings storage before this call. Returns on the host build; a device restarts.
    /// </summary>
    void DeepSleep(int milliseconds);
}
