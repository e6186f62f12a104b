using CivicEdge.Firmware.Core.Hal;

namespace CivicEdge.Firmware.Host;

/// <summary>
/// A device clock driven by a <see cref="TimeProvider"/>: the system's in civicsim, a <c>FakeTimeProvider</c> in tests.
/// Uptime counts from construction (the simulated boot); the wall clock is unset until <see cref="Set"/> is called,
/// as on a device without a battery-backed RTC, unless the simulation starts synchronized.
/// </summary>
public sealed class SimulatedClock(TimeProvider time, bool synchronized = true) : IClock
{
    private readonly long _bootTimestamp = time.GetTimestamp();
    private TimeSpan _offset;

    public bool IsSynchronized { get; private set; } = synchronized;

    public DateTime UtcNow => time.GetUtcNow().UtcDateTime + _offset;

    public long UptimeMilliseconds => (long)time.GetElapsedTime(_bootTimestamp).TotalMilliseconds;

    public void Set(DateTime utcNow)
    {
        _offset = utcNow - time.GetUtcNow().UtcDateTime;
        IsSynchronized = true;
    }
}
