using CivicEdge.Hardware;
using CivicEdge.Simulators.Sensors;
using CivicEdge.Simulators.Tests.Devices;
using Microsoft.Extensions.Time.Testing;

namespace CivicEdge.Simulators.Tests.Sensors;

[Category("Unit")]
public sealed class EnvironmentModelTests
{
    private static readonly DateTimeOffset Midnight = new(2026, 4, 10, 0, 0, 0, TimeSpan.Zero);

    private static readonly DeviceProfile Station = ProfileLoader.LoadDirectory(Profiles.Directory).Get("rs485-weather-shutter");

    /// <summary>Every hour of a day, the station's values by point name.</summary>
    private static List<Dictionary<string, double>> SimulateDay(DeviceProfile profile, int seed)
    {
        var clock = new FakeTimeProvider(Midnight);
        var model = new EnvironmentModel(profile, clock, new Random(seed));
        var day = new List<Dictionary<string, double>>();
        for (var hour = 0; hour < 24; hour++)
        {
            day.Add(profile.Points.ToDictionary(p => p.Name, p => model.TryGetValue(p.Name, out var v) ? v : double.NaN));
            clock.Advance(TimeSpan.FromHours(1));
            model.Update();
        }
        return day;
    }

    [TestCase(1)]
    [TestCase(2)]
    public void The_afternoon_is_warmer_and_drier_than_the_small_hours(int seed)
    {
        var day = SimulateDay(Station, seed);

        Assert.That(day[15]["temperature"], Is.GreaterThan(day[4]["temperature"]));
        Assert.That(day[15]["humidity"], Is.LessThan(day[4]["humidity"]));
    }

    [Test]
    public void Traffic_noise_is_louder_in_the_evening_rush_than_at_night()
    {
        var days = Enumerable.Range(1, 5).Select(seed => SimulateDay(Station, seed)).ToList();

        Assert.That(days.Average(d => d[18]["noise"]), Is.GreaterThan(days.Average(d => d[3]["noise"]) + 8));
    }

    [TestCase(3)]
    [TestCase(4)]
    public void Pm10_includes_pm2_5_so_it_is_never_below_it(int seed) =>
        Assert.That(SimulateDay(Station, seed).Select(s => s["pm10"] - s["pm2_5"]), Has.All.GreaterThan(0));

    [TestCase(5)]
    [TestCase(6)]
    public void Direction_sector_and_wind_force_agree_with_angle_and_speed(int seed)
    {
        foreach (var s in SimulateDay(Station, seed))
        {
            var sector = s["wind_direction_sector"];
            var angle = s["wind_direction"];
            var offset = Math.Abs(((angle - (sector * 45) + 540) % 360) - 180);
            Assert.That(offset, Is.LessThanOrEqualTo(22.5 + 1), $"sector {sector} for {angle}°");
            Assert.That(s["wind_force"], Is.EqualTo(Beaufort(s["wind_speed"])), $"{s["wind_speed"]} m/s");
        }

        static double Beaufort(double speed) => speed switch
        {
            <= 0.2 => 0, <= 1.5 => 1, <= 3.3 => 2, <= 5.4 => 3, <= 7.9 => 4, <= 10.7 => 5, <= 13.8 => 6, <= 17.1 => 7, _ => 8,
        };
    }

    [Test]
    public void A_single_purpose_transmitter_gets_its_own_quantities_under_its_own_names()
    {
        var profile = ProfileLoader.LoadDirectory(Profiles.Directory).Get("rs485-temperature-humidity");

        var values = SimulateDay(profile, 7)[12];

        Assert.That(values.Keys, Is.EquivalentTo(new[] { "humidity", "temperature" }));
        Assert.That(values["temperature"], Is.InRange(0.0, 35.0));
        Assert.That(values["humidity"], Is.InRange(10.0, 99.0));
    }
}
