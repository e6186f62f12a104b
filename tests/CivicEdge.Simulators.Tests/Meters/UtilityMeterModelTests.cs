using CivicEdge.Simulators.Meters;
using Microsoft.Extensions.Time.Testing;

namespace CivicEdge.Simulators.Tests.Meters;

[Category("Unit")]
public sealed class UtilityMeterModelTests
{
    private static readonly DateTimeOffset Midnight = new(2026, 1, 15, 0, 0, 0, TimeSpan.Zero);

    [Test]
    public void The_water_volume_grows_by_the_flow_integrated_over_the_day_with_peaks_in_the_morning_and_evening()
    {
        var clock = new FakeTimeProvider(Midnight);
        var model = new WaterMeterModel(clock, new Random(1));
        model.TryGetValue("volume_forward", out var start);
        var flows = new List<double>();
        var integrated = 0.0;
        for (var minute = 0; minute < 24 * 60; minute++)
        {
            model.TryGetValue("flow_rate", out var flow);
            flows.Add(flow);
            clock.Advance(TimeSpan.FromMinutes(1));
            model.Update();
            model.TryGetValue("flow_rate", out var after);
            integrated += (flow + after) / 2 / 60;
        }
        model.TryGetValue("volume_forward", out var end);

        Assert.That(end - start, Is.EqualTo(integrated).Within(0.02 * integrated), "m³ = ∫ m³/h dt");
        Assert.That(flows[7 * 60], Is.GreaterThan(flows[3 * 60] * 3));
        Assert.That(flows[(19 * 60) + 30], Is.GreaterThan(flows[3 * 60] * 3));
    }

    [Test]
    public void Heat_power_is_flow_times_temperature_difference_times_the_heat_capacity_of_water()
    {
        var clock = new FakeTimeProvider(Midnight);
        var model = new HeatMeterModel(clock, new Random(2));

        for (var hour = 0; hour < 24; hour++)
        {
            model.TryGetValue("flow_rate", out var flow);
            model.TryGetValue("temperature_difference", out var difference);
            model.TryGetValue("supply_temperature", out var supply);
            model.TryGetValue("return_temperature", out var returning);
            model.TryGetValue("heat_power", out var power);
            Assert.That(power, Is.EqualTo(flow * difference * 1163).Within(1e-6));
            Assert.That(difference, Is.EqualTo(supply - returning).Within(1e-9));
            Assert.That(difference, Is.GreaterThanOrEqualTo(5));
            clock.Advance(TimeSpan.FromHours(1));
            model.Update();
        }
    }

    [Test]
    public void Heat_energy_counts_the_power_delivered()
    {
        var clock = new FakeTimeProvider(Midnight);
        var model = new HeatMeterModel(clock, new Random(3));
        model.TryGetValue("heat_energy", out var start);
        model.TryGetValue("heat_power", out var power);

        clock.Advance(TimeSpan.FromMinutes(10));
        model.Update();
        model.TryGetValue("heat_energy", out var end);

        Assert.That(end - start, Is.EqualTo(power / 1000 / 6).Within(0.2 * power / 1000 / 6), "kWh = kW × h over ten minutes");
    }
}
