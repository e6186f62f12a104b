namespace CivicEdge.Solar.Tests;

/// <summary>Checked against published sunrise and sunset tables (timeanddate.com / NOAA), which give whole minutes.</summary>
[Category("Unit")]
public sealed class SolarCalculatorTests
{
    // city, latitude, longitude, local date, UTC offset of the local times, sunrise, sunset (local, as published)
    [TestCase("London", 51.5074, -0.1278, "2024-06-21", 1, "04:43", "21:21")]
    [TestCase("New York", 40.7128, -74.0060, "2024-12-21", -5, "07:16", "16:32")]
    [TestCase("Sydney", -33.8688, 151.2093, "2024-12-21", 11, "05:41", "20:05")]
    [TestCase("Beijing", 39.9042, 116.4074, "2024-06-21", 8, "04:46", "19:46")]
    public void Sunrise_and_sunset_match_the_published_tables_within_a_minute(
        string city, double latitude, double longitude, string date, int utcOffset, string sunrise, string sunset)
    {
        var sun = new SolarCalculator(latitude, longitude);
        var day = DateOnly.Parse(date, System.Globalization.CultureInfo.InvariantCulture);
        var offset = TimeSpan.FromHours(utcOffset);

        var rise = sun.On(SunEvent.Sunrise, day)!.Value.ToOffset(offset);
        var set = sun.On(SunEvent.Sunset, day)!.Value.ToOffset(offset);

        Assert.That(Math.Abs((rise.TimeOfDay - TimeOnly.Parse(sunrise, System.Globalization.CultureInfo.InvariantCulture).ToTimeSpan()).TotalMinutes), Is.LessThanOrEqualTo(1), $"{city} sunrise {rise:HH:mm:ss}");
        Assert.That(Math.Abs((set.TimeOfDay - TimeOnly.Parse(sunset, System.Globalization.CultureInfo.InvariantCulture).ToTimeSpan()).TotalMinutes), Is.LessThanOrEqualTo(1), $"{city} sunset {set:HH:mm:ss}");
        Assert.That(DateOnly.FromDateTime(rise.DateTime), Is.EqualTo(day), "the sunrise of the local date");
    }

    [Test]
    public void Civil_dawn_comes_before_sunrise_and_civil_dusk_after_sunset()
    {
        var sun = new SolarCalculator(51.5074, -0.1278);
        var day = new DateOnly(2024, 3, 20);

        var dawn = sun.On(SunEvent.CivilDawn, day)!.Value;
        var rise = sun.On(SunEvent.Sunrise, day)!.Value;
        var set = sun.On(SunEvent.Sunset, day)!.Value;
        var dusk = sun.On(SunEvent.CivilDusk, day)!.Value;

        // At an equinox in London civil twilight lasts about 33 minutes.
        Assert.That((rise - dawn).TotalMinutes, Is.InRange(30, 37));
        Assert.That((dusk - set).TotalMinutes, Is.InRange(30, 37));
        Assert.That(sun.Elevation(dusk), Is.EqualTo(-6).Within(0.1));
    }

    [Test]
    public void Next_with_an_offset_is_the_first_shifted_event_after_the_time()
    {
        var sun = new SolarCalculator(51.5074, -0.1278);
        var sunset = sun.On(SunEvent.Sunset, new DateOnly(2024, 6, 21))!.Value;

        Assert.That(sun.Next(SunEvent.Sunset, sunset.AddMinutes(-20), TimeSpan.FromMinutes(-15)), Is.EqualTo(sunset.AddMinutes(-15)));
        Assert.That(sun.Next(SunEvent.Sunset, sunset.AddMinutes(-10), TimeSpan.FromMinutes(-15))!.Value.Date, Is.EqualTo(new DateTime(2024, 6, 22)));
        Assert.That(sun.Previous(SunEvent.Sunset, sunset.AddMinutes(1)), Is.EqualTo(sunset));
    }

    [Test]
    public void In_polar_night_there_is_no_sunrise_and_the_next_one_comes_weeks_later()
    {
        var tromso = new SolarCalculator(69.6492, 18.9553);
        var midwinter = new DateOnly(2024, 12, 21);

        Assert.That(tromso.On(SunEvent.Sunrise, midwinter), Is.Null);
        Assert.That(tromso.IsUp(new DateTimeOffset(2024, 12, 21, 11, 0, 0, TimeSpan.Zero)), Is.False);
        var next = tromso.Next(SunEvent.Sunrise, new DateTimeOffset(2024, 12, 21, 0, 0, 0, TimeSpan.Zero));
        Assert.That(next!.Value.Date, Is.InRange(new DateTime(2025, 1, 10), new DateTime(2025, 1, 20)));
    }
}
