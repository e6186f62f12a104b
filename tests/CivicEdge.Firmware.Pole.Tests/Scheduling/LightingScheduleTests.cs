using CivicEdge.Firmware.Pole.Scheduling;
using CivicEdge.Firmware.Pole.Settings;

namespace CivicEdge.Firmware.Pole.Tests.Scheduling;

[Category("Unit")]
public sealed class LightingScheduleTests
{
    // Berlin, 2025-03-20: sunrise 05:08 UTC, sunset 17:20 UTC; civil dusk about 17:52 UTC.
    private static DateTime Utc(int day, int hour, int minute) => new(2025, 3, day, hour, minute, 0, DateTimeKind.Utc);

    [Test]
    public void The_lamp_is_on_from_sunset_to_sunrise_and_off_between()
    {
        var schedule = new LightingSchedule(new PoleSettings { Latitude = 52.52, Longitude = 13.40 });

        Assert.Multiple(() =>
        {
            Assert.That(schedule.IsNight(Utc(20, 12, 0)), Is.False, "noon");
            Assert.That(schedule.IsNight(Utc(20, 17, 10)), Is.False, "before sunset");
            Assert.That(schedule.IsNight(Utc(20, 17, 30)), Is.True, "after sunset");
            Assert.That(schedule.IsNight(Utc(20, 23, 30)), Is.True, "before midnight");
            Assert.That(schedule.IsNight(Utc(21, 3, 0)), Is.True, "after midnight");
            Assert.That(schedule.IsNight(Utc(21, 5, 30)), Is.False, "after sunrise");
        });
    }

    [Test]
    public void Offsets_and_civil_twilight_move_the_switching_times()
    {
        var schedule = new LightingSchedule(new PoleSettings
        {
            Latitude = 52.52, Longitude = 13.40, OnEvent = SunEvent.CivilDusk, OnOffsetMinutes = -10, OffEvent = SunEvent.Sunrise, OffOffsetMinutes = 20,
        });

        schedule.IsNight(Utc(20, 12, 0));
        Assert.That(schedule.OnTime, Is.EqualTo(Utc(20, 17, 42)).Within(TimeSpan.FromMinutes(3)));
        Assert.That(schedule.OffTime, Is.EqualTo(Utc(20, 5, 28)).Within(TimeSpan.FromMinutes(3)));
        Assert.That(schedule.IsNight(Utc(20, 17, 30)), Is.False, "civil dusk minus 10 minutes is later than sunset");
        Assert.That(schedule.IsNight(Utc(20, 5, 15)), Is.True, "sunrise plus 20 minutes");
    }

    [Test]
    public void Dimming_steps_follow_local_time_and_wrap_over_midnight()
    {
        var settings = new PoleSettings { UtcOffsetMinutes = 60, DimmingStepCount = 2 };
        settings.DimmingStepMinutes[0] = 23 * 60;
        settings.DimmingStepLevels[0] = 50;
        settings.DimmingStepMinutes[1] = 5 * 60;
        settings.DimmingStepLevels[1] = 100;
        var schedule = new LightingSchedule(settings);

        Assert.Multiple(() =>
        {
            Assert.That(schedule.DimmingLevel(Utc(20, 21, 59)), Is.EqualTo(100), "22:59 local");
            Assert.That(schedule.DimmingLevel(Utc(20, 22, 0)), Is.EqualTo(50), "23:00 local");
            Assert.That(schedule.DimmingLevel(Utc(20, 23, 30)), Is.EqualTo(50), "00:30 local, from the step of the day before");
            Assert.That(schedule.DimmingLevel(Utc(21, 4, 0)), Is.EqualTo(100), "05:00 local");
        });
    }

    [Test]
    public void In_the_polar_night_the_lamp_stays_on_and_in_the_midnight_sun_it_stays_off()
    {
        var schedule = new LightingSchedule(new PoleSettings { Latitude = 69.65, Longitude = 18.96 });

        Assert.That(schedule.IsNight(new DateTime(2025, 12, 21, 11, 0, 0, DateTimeKind.Utc)), Is.True);
        Assert.That(schedule.IsNight(new DateTime(2025, 6, 21, 23, 0, 0, DateTimeKind.Utc)), Is.False);
    }
}
