namespace CivicEdge.Firmware.Core.Hal;

/// <summary>
/// Puts the main thread to sleep between passes of the main loop (<c>Thread.Sleep</c> on the device), so that a test
/// moves simulated time instead of waiting.
/// </summary>
public interface IDelay
{
    /// <summary>Blocks the calling thread for <paramref name="milliseconds"/> (more than zero).</summary>
    void Sleep(int milliseconds);
}
