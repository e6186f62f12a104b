using CivicEdge.Firmware.Core.Hal;

namespace CivicEdge.Firmware.Core.Tests.Support;

/// <summary>A watchdog that remembers how it was armed and how often it was fed.</summary>
internal sealed class FakeWatchdog : IWatchdog
{
    public int TimeoutMilliseconds { get; private set; }

    public bool Started { get; private set; }

    public int Feeds { get; private set; }

    public void Start(int timeoutMilliseconds)
    {
        Started = true;
        TimeoutMilliseconds = timeoutMilliseconds;
    }

    public void Feed() => Feeds++;
}
