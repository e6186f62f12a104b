using CivicEdge.Firmware.Core.Hal;
using Microsoft.Extensions.Time.Testing;

namespace CivicEdge.Firmware.Core.Tests.Support;

/// <summary>Sleeping moves the fake time forward instead of waiting; remembers every sleep.</summary>
internal sealed class FakeTimeDelay(FakeTimeProvider time) : IDelay
{
    public List<int> Sleeps { get; } = [];

    public void Sleep(int milliseconds)
    {
        Assert.That(milliseconds, Is.Positive, "the main loop must not ask for an empty sleep");
        Sleeps.Add(milliseconds);
        time.Advance(TimeSpan.FromMilliseconds(milliseconds));
    }
}
