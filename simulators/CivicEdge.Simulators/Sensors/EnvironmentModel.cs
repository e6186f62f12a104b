using CivicEdge.Hardware;
using CivicEdge.Simulators.Devices;

namespace CivicEdge.Simulators.Sensors;

/// <summary>
/// The street-level weather and air a pole-mounted environment station or single transmitter measures, by the
/// quantities of the profile's points rather than their names, so that one model serves the integrated weather box
/// and every single-purpose transmitter: air temperature on a daily curve (coolest before dawn, warmest mid-afternoon)
/// around a slowly wandering mean; relative humidity falling as the air warms; a traffic noise level between a quiet
/// night and the rush hours; PM2.5 wandering log-normally around a typical urban level with PM10 above it; wind speed
/// wandering around a light breeze with gusts, its Beaufort force, and a direction that veers slowly, in degrees and
/// as one of 8 sectors; atmospheric pressure wandering around the standard atmosphere; the tilt of a pole standing
/// upright, trembling a little in the wind.
/// </summary>
public sealed class EnvironmentModel : SteppedDeviceModel
{
    private const double MeanTemperature = 15;
    private const double DailyTemperatureSwing = 5;
    private const double MeanHumidity = 60;
    private const double TypicalPm25 = 35;
    private const double MeanWindSpeed = 3.5;
    private const double StandardPressure = 101.325;

    private static readonly TimeSpan WeatherTime = TimeSpan.FromHours(6);
    private static readonly TimeSpan AirTime = TimeSpan.FromHours(3);
    private static readonly TimeSpan WindTime = TimeSpan.FromMinutes(20);
    private static readonly TimeSpan PressureTime = TimeSpan.FromHours(12);

    /// <summary>Upper wind speeds of Beaufort forces 0..11 in m/s (WMO); above the last is 12, a hurricane.</summary>
    private static readonly double[] BeaufortLimits = [0.2, 1.5, 3.3, 5.4, 7.9, 10.7, 13.8, 17.1, 20.7, 24.4, 28.4, 32.6];

    private readonly IReadOnlyList<PointDefinition> _points;
    private double _temperatureDeviation;
    private double _humidityDeviation;
    private double _noiseDeviation;
    private double _pollution;
    private double _coarseShare;
    private double _windDeviation;
    private double _windDirection;
    private double _pressure;

    public EnvironmentModel(DeviceProfile profile, TimeProvider timeProvider, Random random)
        : base(timeProvider, random)
    {
        ArgumentNullException.ThrowIfNull(profile);
        _points = profile.Points;
        _temperatureDeviation = 2 * Gaussian();
        _humidityDeviation = 5 * Gaussian();
        _pollution = 0.4 * Gaussian();
        _coarseShare = 1.6;
        _windDeviation = Gaussian();
        _windDirection = 360 * Random.NextDouble();
        _pressure = StandardPressure + (0.8 * Gaussian());
        Step(Clock.GetUtcNow(), TimeSpan.Zero);
    }

    /// <summary>The quantities this model produces; a point of another quantity has no value.</summary>
    public static IReadOnlyList<string> Quantities { get; } =
        ["temperature", "relative_humidity", "sound_level", "pm2_5", "pm10", "wind_speed", "wind_force", "wind_direction", "pressure", "inclination"];

    protected override void Step(DateTimeOffset at, TimeSpan step)
    {
        if (step > TimeSpan.Zero)
        {
            _temperatureDeviation = Wander(_temperatureDeviation, 0, 2, WeatherTime, step, 8);
            _humidityDeviation = Wander(_humidityDeviation, 0, 5, WeatherTime, step, 20);
            _noiseDeviation = Wander(_noiseDeviation, 0, 2, TimeSpan.FromMinutes(10), step, 6);
            _pollution = Wander(_pollution, 0, 0.4, AirTime, step, 1.5);
            _coarseShare = Wander(_coarseShare, 1.6, 0.15, AirTime, step, 0.5);
            _windDeviation = Wander(_windDeviation, 0, 1.2, WindTime, step, 6);
            _windDirection = (_windDirection + (8 * Math.Sqrt(step / TimeSpan.FromMinutes(1)) * Gaussian()) + 360) % 360;
            _pressure = Wander(_pressure, StandardPressure, 0.8, PressureTime, step, 3);
        }

        var hour = LocalHour(at);
        // Coolest about 05:00, warmest about 15:00.
        var temperature = MeanTemperature + _temperatureDeviation - (DailyTemperatureSwing * Math.Cos(2 * Math.PI * (hour - 3) / 24)) + Noise(0.1);
        var humidity = Math.Clamp(MeanHumidity + _humidityDeviation - (2.5 * (temperature - MeanTemperature)) + Noise(0.5), 10, 99);
        var noise = 45 + (14 * Bump(hour, 8, 1.5)) + (10 * Bump(hour, 13, 3)) + (16 * Bump(hour, 18, 2)) + _noiseDeviation + Noise(1.5);
        var pm25 = TypicalPm25 * Math.Exp(_pollution) * (1 + Noise(0.05));
        var windSpeed = Math.Max(0, MeanWindSpeed + _windDeviation + Noise(0.6));
        var values = new Dictionary<string, double>(StringComparer.Ordinal)
        {
            ["temperature"] = temperature,
            ["relative_humidity"] = humidity,
            ["sound_level"] = Math.Clamp(noise, 30, 130),
            ["pm2_5"] = pm25,
            ["pm10"] = pm25 * _coarseShare,
            ["wind_speed"] = windSpeed,
            ["wind_force"] = Beaufort(windSpeed),
            ["pressure"] = _pressure,
            ["inclination"] = (0.02 * windSpeed) + Noise(0.05),
        };

        foreach (var point in _points)
        {
            if (point.Quantity == "wind_direction")
                Set(point.Name, IsSector(point) ? Math.Round(_windDirection / 45) % 8 : Math.Floor(_windDirection));
            else if (point.Quantity is { } quantity && values.TryGetValue(quantity, out var value))
                Set(point.Name, value);
        }
    }

    /// <summary>A direction in 8 sectors is dimensionless (<c>1</c>) and at most 7; one in degrees has a unit.</summary>
    private static bool IsSector(PointDefinition point) => point.Unit == "1" || point.Max is <= 7;

    private static double Beaufort(double speed)
    {
        var force = Array.FindIndex(BeaufortLimits, limit => speed <= limit);
        return force < 0 ? BeaufortLimits.Length : force;
    }
}
