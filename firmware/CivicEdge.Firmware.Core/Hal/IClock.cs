using System;

namespace CivicEdge.Firmware.Core.Hal;

/// <summary>
/// Time as the device knows it. Firmware never reads <c>DateTime.UtcNow</c> itself, so tests and simulators move time.
/// </summary>
public interface IClock
{
    /// <summary>Wall-clock time in UTC; meaningful only when <see cref="IsSynchronized"/> (after SNTP, GNSS or a gateway's time broadcast).</summary>
    DateTime UtcNow { get; }

    /// <summary>Whether <see cref="UtcNow"/> has been set since boot. A device that lost power keeps counting from its RTC, if it has one.</summary>
    bool IsSynchronized { get; }

    /// <summary>Milliseconds since boot, monotonic: intervals and timeouts are measured with this, never with wall time.</summary>
    long UptimeMilliseconds { get; }

    /// <summary>Sets the wall clock (from SNTP, GNSS or a gateway's time broadcast).</summary>
    void Set(DateTime utcNow);
}
