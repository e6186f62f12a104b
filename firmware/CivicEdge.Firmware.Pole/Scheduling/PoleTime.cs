using System;
using CivicEdge.Firmware.Core.Hal;

namespace CivicEdge.Firmware.Pole.Scheduling;

/// <summary>
/// The time the schedule runs on. With a synchronized clock, the clock; after a reboot without network or RTC, the last
/// time the controller saved (it saves on supply loss and every hour, see <see cref="Metering.CounterKeeper"/>) plus
/// the uptime since boot, which lags by the length of the outage; with neither, unknown.
/// </summary>
public sealed class PoleTime
{
    private readonly IClock _clock;
    private long _rememberedTicks;
    private long _rememberedAtUptime;

    public PoleTime(IClock clock)
    {
        _clock = clock;
    }

    public TimeSource Source
    {
        get
        {
            if (_clock.IsSynchronized)
            {
                return TimeSource.Synchronized;
            }

            return _rememberedTicks > 0 ? TimeSource.Estimated : TimeSource.Unknown;
        }
    }

    /// <summary>Gives the time remembered from before the reboot (UTC ticks; 0 for none), as read at boot.</summary>
    public void Remember(long utcTicks)
    {
        _rememberedTicks = utcTicks;
        _rememberedAtUptime = _clock.UptimeMilliseconds;
    }

    /// <summary>The best time known now; false when it is <see cref="TimeSource.Unknown"/>.</summary>
    public bool TryGetUtcNow(out DateTime utc)
    {
        if (_clock.IsSynchronized)
        {
            utc = _clock.UtcNow;
            return true;
        }

        if (_rememberedTicks > 0)
        {
            var elapsed = (_clock.UptimeMilliseconds - _rememberedAtUptime) * TimeSpan.TicksPerMillisecond;
            utc = new DateTime(_rememberedTicks + elapsed);
            return true;
        }

        utc = DateTime.MinValue;
        return false;
    }
}
