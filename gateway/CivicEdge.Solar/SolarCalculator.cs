namespace CivicEdge.Solar;

/// <summary>
/// Sunrise, sunset and civil twilight at one place, after the NOAA Global Monitoring Laboratory's solar calculator
/// (Meeus, "Astronomical Algorithms"; accurate to about a minute between ±72° latitude for years 1800-2100).
/// </summary>
public sealed class SolarCalculator
{
    private const double SunriseZenith = 90.833;
    private const double CivilZenith = 96.0;
    private const int SearchDays = 400;

    /// <param name="latitude">Degrees, north positive.</param>
    /// <param name="longitude">Degrees, east positive.</param>
    public SolarCalculator(double latitude, double longitude)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(Math.Abs(latitude), 90, nameof(latitude));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(Math.Abs(longitude), 180, nameof(longitude));
        Latitude = latitude;
        Longitude = longitude;
    }

    public double Latitude { get; }

    public double Longitude { get; }

    /// <summary>
    /// The event on the given date at this place (the date as a local solar day, so east of Greenwich a sunrise can
    /// fall on the previous UTC day); null when the sun does not cross that altitude that day (polar day or night).
    /// </summary>
    public DateTimeOffset? On(SunEvent sunEvent, DateOnly date)
    {
        var midnight = new DateTimeOffset(date.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        var julianDay = JulianDay(midnight);
        var minutes = EventMinutes(sunEvent, julianDay);
        if (minutes is null)
            return null;
        // One refinement at the first estimate's time, as NOAA's calculator does: declination and the equation of
        // time move over the hours between midnight and the event.
        minutes = EventMinutes(sunEvent, julianDay + minutes.Value / 1440.0);
        return minutes is null ? null : midnight.AddMinutes(minutes.Value);
    }

    /// <summary>The first time after <paramref name="after"/> that is the event plus <paramref name="offset"/>; null if none within a year.</summary>
    public DateTimeOffset? Next(SunEvent sunEvent, DateTimeOffset after, TimeSpan offset = default)
    {
        var date = DateOnly.FromDateTime(after.UtcDateTime.Add(-offset)).AddDays(-1);
        for (var i = 0; i < SearchDays; i++, date = date.AddDays(1))
        {
            if (On(sunEvent, date) is { } at && at + offset > after)
                return at + offset;
        }
        return null;
    }

    /// <summary>The last time before <paramref name="before"/> that the event happened; null if none within a year.</summary>
    public DateTimeOffset? Previous(SunEvent sunEvent, DateTimeOffset before)
    {
        var date = DateOnly.FromDateTime(before.UtcDateTime).AddDays(2);
        for (var i = 0; i < SearchDays; i++, date = date.AddDays(-1))
        {
            if (On(sunEvent, date) is { } at && at < before)
                return at;
        }
        return null;
    }

    /// <summary>Whether the sun's upper limb is above the horizon at <paramref name="at"/>.</summary>
    public bool IsUp(DateTimeOffset at) => Elevation(at) > 90 - SunriseZenith;

    /// <summary>The sun's elevation above the horizon in degrees, without refraction.</summary>
    public double Elevation(DateTimeOffset at)
    {
        var utc = at.UtcDateTime;
        var t = JulianCentury(JulianDay(at));
        var minutes = utc.TimeOfDay.TotalMinutes;
        var trueSolarTime = ((minutes + EquationOfTime(t) + (4 * Longitude)) % 1440 + 1440) % 1440;
        var hourAngle = (trueSolarTime / 4) - 180;
        var lat = Radians(Latitude);
        var declination = Radians(Declination(t));
        var cosZenith = (Math.Sin(lat) * Math.Sin(declination)) + (Math.Cos(lat) * Math.Cos(declination) * Math.Cos(Radians(hourAngle)));
        return 90 - Degrees(Math.Acos(Math.Clamp(cosZenith, -1, 1)));
    }

    /// <summary>Minutes after 00:00 UTC of the Julian day's date; null when the sun does not reach the zenith angle.</summary>
    private double? EventMinutes(SunEvent sunEvent, double julianDay)
    {
        var t = JulianCentury(julianDay);
        var zenith = sunEvent is SunEvent.Sunrise or SunEvent.Sunset ? SunriseZenith : CivilZenith;
        var lat = Radians(Latitude);
        var declination = Radians(Declination(t));
        var cosHourAngle = (Math.Cos(Radians(zenith)) / (Math.Cos(lat) * Math.Cos(declination))) - (Math.Tan(lat) * Math.Tan(declination));
        if (cosHourAngle is < -1 or > 1)
            return null;
        var hourAngle = Degrees(Math.Acos(cosHourAngle));
        if (sunEvent is SunEvent.Sunset or SunEvent.CivilDusk)
            hourAngle = -hourAngle;
        return 720 - (4 * (Longitude + hourAngle)) - EquationOfTime(t);
    }

    private static double JulianDay(DateTimeOffset at) => 2440587.5 + (at.UtcTicks - DateTime.UnixEpoch.Ticks) / (double)TimeSpan.TicksPerDay;

    private static double JulianCentury(double julianDay) => (julianDay - 2451545.0) / 36525.0;

    private static double GeometricMeanLongitude(double t) => ((280.46646 + (t * (36000.76983 + (t * 0.0003032)))) % 360 + 360) % 360;

    private static double GeometricMeanAnomaly(double t) => 357.52911 + (t * (35999.05029 - (0.0001537 * t)));

    private static double Eccentricity(double t) => 0.016708634 - (t * (0.000042037 + (0.0000001267 * t)));

    private static double EquationOfCenter(double t)
    {
        var m = Radians(GeometricMeanAnomaly(t));
        return (Math.Sin(m) * (1.914602 - (t * (0.004817 + (0.000014 * t))))) + (Math.Sin(2 * m) * (0.019993 - (0.000101 * t))) + (Math.Sin(3 * m) * 0.000289);
    }

    private static double ApparentLongitude(double t)
    {
        var trueLongitude = GeometricMeanLongitude(t) + EquationOfCenter(t);
        var omega = 125.04 - (1934.136 * t);
        return trueLongitude - 0.00569 - (0.00478 * Math.Sin(Radians(omega)));
    }

    private static double ObliquityCorrection(double t)
    {
        var seconds = 21.448 - (t * (46.8150 + (t * (0.00059 - (t * 0.001813)))));
        var meanObliquity = 23.0 + ((26.0 + (seconds / 60.0)) / 60.0);
        var omega = 125.04 - (1934.136 * t);
        return meanObliquity + (0.00256 * Math.Cos(Radians(omega)));
    }

    private static double Declination(double t) =>
        Degrees(Math.Asin(Math.Sin(Radians(ObliquityCorrection(t))) * Math.Sin(Radians(ApparentLongitude(t)))));

    /// <summary>Apparent minus mean solar time, in minutes.</summary>
    private static double EquationOfTime(double t)
    {
        var epsilon = Radians(ObliquityCorrection(t));
        var l0 = Radians(GeometricMeanLongitude(t));
        var e = Eccentricity(t);
        var m = Radians(GeometricMeanAnomaly(t));
        var y = Math.Pow(Math.Tan(epsilon / 2), 2);
        var value = (y * Math.Sin(2 * l0)) - (2 * e * Math.Sin(m)) + (4 * e * y * Math.Sin(m) * Math.Cos(2 * l0))
            - (0.5 * y * y * Math.Sin(4 * l0)) - (1.25 * e * e * Math.Sin(2 * m));
        return Degrees(value) * 4;
    }

    private static double Radians(double degrees) => degrees * Math.PI / 180;

    private static double Degrees(double radians) => radians * 180 / Math.PI;
}
