using CivicEdge.Firmware.Core.Hal;

namespace CivicEdge.Firmware.Host;

/// <summary>
/// Reset and sleep on a host: the simulation sets why the device "started", and the firmware's requests to reboot or
/// sleep are recorded for the simulation to act on (start the app again on the same storage, move time on).
/// </summary>
public sealed class SimulatedPowerControl(ResetCause lastResetCause = ResetCause.PowerOn) : IPowerControl
{
    private readonly List<int> _deepSleeps = [];

    public ResetCause LastResetCause { get; set; } = lastResetCause;

    /// <summary>How many times the firmware asked to restart.</summary>
    public int RebootRequests { get; private set; }

    /// <summary>The length of every deep sleep the firmware asked for, in order.</summary>
    public IReadOnlyList<int> DeepSleeps => _deepSleeps;

    public void Reboot() => RebootRequests++;

    public void DeepSleep(int milliseconds) => _deepSleeps.Add(milliseconds);
}
