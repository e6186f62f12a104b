using System;

namespace CivicEdge.Firmware.Pole.Scheduling;

/// <summary>
/// Sunrise, sunset and civil twilight at the pole, after the NOAA Global Monitoring Laboratory's solar calculator
/// (Meeus, "Astronomical Algorithms"; about a minute between ±72° latitude for 1800–2100). The same algorithm as the
/// gateway's rule scheduler, written in the nanoFramework subset: it needs no network, so a pole that never hears from
/// the fleet still switches at dusk and dawn.
/// </summary>
public static class SolarCalculator
{
    private const double SunriseZenith = 90.833;
    private const double CivilZenith = 96.0;
    private const double UnixEpochJulianDay = 2440587.5;
    private const long UnixEpochTicks = 621355968000000000L;

    /// <summary>The sun never reaches the event's altitude that day: it stays above (polar day).</summary>
    public const int AlwaysAbove = 1;

    /// <summary>The sun never reaches the event's altitude that day: it stays below (polar night).</summary>
    public const int AlwaysBelow = -1;

    /// <summary>The event happens that day.</summary>
    public const int Happens = 0;

    /// <summary>
    /// The time (UTC) of <paramref name="sunEvent"/> on the date of <paramref name="dateUtc"/> (its time of day is
    /// ignored) at the given place; returns <see cref="Happens"/>, or <see cref="AlwaysAbove"/> /
    /// <see cref="AlwaysBelow"/> and leaves <paramref name="at"/> at midnight when the sun does not cross that altitude.
    /// East of Greenwich a sunrise can fall on the previous UTC day: the date is a solar day at the longitude.
    /// </summary>
    /// <param name="sunEvent">The passage.</param>
    /// <param name="dateUtc">The date.</param>
    /// <param name="latitude">Degrees, north positive.</param>
    /// <param name="longitude">Degrees, east positive.</param>
    /// <param name="at">The event's time, UTC.</param>
    public static int TryGet(SunEvent sunEvent, DateTime dateUtc, double latitude, double longitude, out DateTime at)
    {
        var midnight = dateUtc.Date;
        at = midnight;
        var julianDay = JulianDay(midnight);
        double minutes;
        var outcome = EventMinutes(sunEvent, julianDay, latitude, longitude, out minutes);
        if (outcome != Happens)
        {
            return outcome;
        }

        // One refinement at the first estimate's time, as NOAA's calculator does: declination and the equation of
        // time move over the hours between midnight and the event.
        outcome = EventMinutes(sunEvent, julianDay + (minutes / 1440.0), latitude, longitude, out minutes);
        if (outcome != Happens)
        {
            return outcome;
        }

        at = midnight.AddTicks((long)(minutes * TimeSpan.TicksPerMinute));
        return Happens;
    }

    private static int EventMinutes(SunEvent sunEvent, double julianDay, double latitude, double longitude, out double minutes)
    {
        minutes = 0;
        var t = (julianDay - 2451545.0) / 36525.0;
        var zenith = sunEvent == SunEvent.Sunrise || sunEvent == SunEvent.Sunset ? SunriseZenith : CivilZenith;
        var lat = Radians(latitude);
        var declination = Radians(Declination(t));
        var cosHourAngle = (Math.Cos(Radians(zenith)) / (Math.Cos(lat) * Math.Cos(declination))) - (Math.Tan(lat) * Math.Tan(declination));
        if (cosHourAngle < -1)
        {
            return AlwaysAbove;
        }

        if (cosHourAngle > 1)
        {
            return AlwaysBelow;
        }

        var hourAngle = Degrees(Math.Acos(cosHourAngle));
        if (sunEvent == SunEvent.Sunset || sunEvent == SunEvent.CivilDusk)
        {
            hourAngle = -hourAngle;
        }

        minutes = 720 - (4 * (longitude + hourAngle)) - EquationOfTime(t);
        return Happens;
    }

    private static double JulianDay(DateTime utc) => UnixEpochJulianDay + ((utc.Ticks - UnixEpochTicks) / (double)TimeSpan.TicksPerDay);

    private static double Modulo360(double degrees)
    {
        var value = degrees % 360;
        return value < 0 ? value + 360 : value;
    }

    private static double GeometricMeanLongitude(double t) => Modulo360(280.46646 + (t * (36000.76983 + (t * 0.0003032))));

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
        var halfTan = Math.Tan(epsilon / 2);
        var y = halfTan * halfTan;
        var value = (y * Math.Sin(2 * l0)) - (2 * e * Math.Sin(m)) + (4 * e * y * Math.Sin(m) * Math.Cos(2 * l0))
            - (0.5 * y * y * Math.Sin(4 * l0)) - (1.25 * e * e * Math.Sin(2 * m));
        return Degrees(value) * 4;
    }

    private static double Radians(double degrees) => degrees * Math.PI / 180;

    private static double Degrees(double radians) => radians * 180 / Math.PI;
}
