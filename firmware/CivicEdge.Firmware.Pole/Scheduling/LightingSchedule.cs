using System;
using CivicEdge.Firmware.Pole.Settings;

namespace CivicEdge.Firmware.Pole.Scheduling;

/// <summary>
/// The astronomical schedule: on at the evening event plus its offset, off at the morning event plus its offset, and
/// between them the dimming step in force by local time (UTC plus the configured offset). Inside the polar circles a
/// day without the evening event is all night (sun below) or all day (sun above). Event times are computed once per
/// solar day, so a main-loop pass costs a comparison.
/// </summary>
public sealed class LightingSchedule
{
    private readonly PoleSettings _settings;
    private long _cachedSolarDayTicks = -1;
    private int _onOutcome;
    private int _offOutcome;
    private DateTime _on;
    private DateTime _off;

    public LightingSchedule(PoleSettings settings)
    {
        _settings = settings;
    }

    /// <summary>Forgets the cached event times (after the location or the events changed).</summary>
    public void Invalidate() => _cachedSolarDayTicks = -1;

    /// <summary>Whether the lamp should burn at <paramref name="utc"/>.</summary>
    public bool IsNight(DateTime utc)
    {
        // The solar day at the pole's longitude: the morning and the evening events of one solar day share a date.
        var solar = utc.AddTicks((long)(_settings.Longitude * 4 * TimeSpan.TicksPerMinute));
        var solarDay = solar.Date;
        if (solarDay.Ticks != _cachedSolarDayTicks)
        {
            _onOutcome = SolarCalculator.TryGet(_settings.OnEvent, solarDay, _settings.Latitude, _settings.Longitude, out _on);
            _offOutcome = SolarCalculator.TryGet(_settings.OffEvent, solarDay, _settings.Latitude, _settings.Longitude, out _off);
            _on = _on.AddMinutes(_settings.OnOffsetMinutes);
            _off = _off.AddMinutes(_settings.OffOffsetMinutes);
            _cachedSolarDayTicks = solarDay.Ticks;
        }

        var beforeMorning = _offOutcome == SolarCalculator.Happens ? utc < _off : _offOutcome == SolarCalculator.AlwaysBelow;
        var afterEvening = _onOutcome == SolarCalculator.Happens ? utc >= _on : _onOutcome == SolarCalculator.AlwaysBelow;
        return beforeMorning || afterEvening;
    }

    /// <summary>The switch-on time (UTC) of the solar day last evaluated; meaningful after <see cref="IsNight"/>.</summary>
    public DateTime OnTime => _on;

    /// <summary>The switch-off time (UTC) of the solar day last evaluated.</summary>
    public DateTime OffTime => _off;

    /// <summary>The dimming step's level at <paramref name="utc"/>: the step with the latest start at or before the local time, wrapping over midnight; 100 without steps.</summary>
    public int DimmingLevel(DateTime utc)
    {
        var count = _settings.DimmingStepCount;
        if (count == 0)
        {
            return 100;
        }

        var local = utc.AddMinutes(_settings.UtcOffsetMinutes);
        var minute = (local.Hour * 60) + local.Minute;
        var best = -1;
        var latest = -1;
        for (var i = 0; i < count; i++)
        {
            var start = _settings.DimmingStepMinutes[i];
            if (start <= minute && (best < 0 || start > _settings.DimmingStepMinutes[best]))
            {
                best = i;
            }

            if (latest < 0 || start > _settings.DimmingStepMinutes[latest])
            {
                latest = i;
            }
        }

        return _settings.DimmingStepLevels[best >= 0 ? best : latest];
    }

    /// <summary>The level the schedule asks for at <paramref name="utc"/>: 0 by day, the dimming step's level by night.</summary>
    public int LevelAt(DateTime utc) => IsNight(utc) ? DimmingLevel(utc) : 0;
}
