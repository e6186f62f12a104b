namespace CivicEdge.Firmware.Core.Scheduling;

/// <summary>
/// A periodic piece of work on the device's main thread (sample the lamp current, poll the energy meter, publish
/// telemetry). A job returns promptly: the main loop runs the jobs one after the other and feeds the watchdog only
/// after all of them, so a job that blocks resets the device.
/// </summary>
public interface IScheduledJob
{
    /// <summary>Does one period's work; <paramref name="uptimeMilliseconds"/> is the time of this pass.</summary>
    void Run(long uptimeMilliseconds);
}
