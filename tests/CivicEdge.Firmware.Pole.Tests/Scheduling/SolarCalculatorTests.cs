using CivicEdge.Firmware.Pole.Scheduling;
using GatewaySolar = CivicEdge.Solar.SolarCalculator;
using GatewaySunEvent = CivicEdge.Solar.SunEvent;

namespace CivicEdge.Firmware.Pole.Tests.Scheduling;

[Category("Unit")]
public sealed class SolarCalculatorTests
{
    // Published by NOAA's solar calculator (gml.noaa.gov/grad/solcalc), rounded to the minute, in UTC.
    private static readonly object[] NoaaValues =
    [
        new object[] { "London", 51.5074, -0.1278, 2024, 6, 21, SunEvent.Sunrise, "2024-06-21T03:43Z" },
        new object[] { "London", 51.5074, -0.1278, 2024, 6, 21, SunEvent.Sunset, "2024-06-21T20:21Z" },
        new object[] { "New York", 40.7128, -74.0060, 2024, 12, 21, SunEvent.Sunrise, "2024-12-21T12:16Z" },
        new object[] { "New York", 40.7128, -74.0060, 2024, 12, 21, SunEvent.Sunset, "2024-12-21T21:32Z" },
    ];

    [TestCaseSource(nameof(NoaaValues))]
    public void Sunrise_and_sunset_agree_with_NOAA_published_times_within_two_minutes(
        string city, double latitude, double longitude, int year, int month, int day, SunEvent sunEvent, string expected)
    {
        var outcome = SolarCalculator.TryGet(sunEvent, new DateTime(year, month, day, 0, 0, 0, DateTimeKind.Utc), latitude, longitude, out var at);

        Assert.That(outcome, Is.EqualTo(SolarCalculator.Happens), city);
        Assert.That(at, Is.EqualTo(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture).UtcDateTime).Within(TimeSpan.FromMinutes(2)), city);
    }

    [Test]
    public void Every_event_agrees_with_the_gateway_calculator_over_a_year_at_several_latitudes()
    {
        (double Latitude, double Longitude)[] places = [(0.3, 32.6), (31.23, 121.47), (52.52, 13.40), (-41.29, 174.78), (64.1, -21.9)];
        (SunEvent Firmware, GatewaySunEvent Gateway)[] events =
        [
            (SunEvent.Sunrise, GatewaySunEvent.Sunrise), (SunEvent.Sunset, GatewaySunEvent.Sunset),
            (SunEvent.CivilDawn, GatewaySunEvent.CivilDawn), (SunEvent.CivilDusk, GatewaySunEvent.CivilDusk),
        ];
        var compared = 0;
        foreach (var (latitude, longitude) in places)
        {
            var gateway = new GatewaySolar(latitude, longitude);
            for (var date = new DateOnly(2025, 1, 1); date.Year == 2025; date = date.AddDays(7))
            {
                foreach (var (firmware, gatewayEvent) in events)
                {
                    var outcome = SolarCalculator.TryGet(firmware, date.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc), latitude, longitude, out var at);
                    var expected = gateway.On(gatewayEvent, date);
                    Assert.That(outcome == SolarCalculator.Happens, Is.EqualTo(expected.HasValue), $"{latitude} {date} {firmware}");
                    if (expected is { } value)
                    {
                        Assert.That(at, Is.EqualTo(value.UtcDateTime).Within(TimeSpan.FromSeconds(1)), $"{latitude} {date} {firmware}");
                        compared++;
                    }
                }
            }
        }

        Assert.That(compared, Is.GreaterThan(900));
    }

    [Test]
    public void Inside_the_arctic_circle_midsummer_has_no_sunset_and_midwinter_no_sunrise()
    {
        var summer = SolarCalculator.TryGet(SunEvent.Sunset, new DateTime(2025, 6, 21, 0, 0, 0, DateTimeKind.Utc), 69.65, 18.96, out _);
        var winter = SolarCalculator.TryGet(SunEvent.Sunrise, new DateTime(2025, 12, 21, 0, 0, 0, DateTimeKind.Utc), 69.65, 18.96, out _);

        Assert.That(summer, Is.EqualTo(SolarCalculator.AlwaysAbove));
        Assert.That(winter, Is.EqualTo(SolarCalculator.AlwaysBelow));
    }
}
