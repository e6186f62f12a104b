using CivicEdge.Firmware.Core.Hal;

namespace CivicEdge.Firmware.Host;

/// <summary>The main loop's sleep on a host: the calling thread really sleeps, as it does on the device.</summary>
public sealed class ThreadDelay : IDelay
{
    public void Sleep(int milliseconds) => Thread.Sleep(milliseconds);
}
