using CivicEdge.Hardware;
using CivicEdge.Simulators.Devices;
using Microsoft.Extensions.Time.Testing;

namespace CivicEdge.Simulators.Tests.Devices;

/// <summary>Every profile in the repository can be served by civicsim with a value for every point, and plausible ones.</summary>
[Category("Unit")]
public sealed class RepositoryProfileSimulationTests
{
    private static readonly DateTimeOffset Midnight = new(2026, 1, 15, 0, 0, 0, TimeSpan.Zero);

    // Meter-protocol profiles are served by civicsim mbus, cjt188 and dlt645, not from a register bank.
    private static IEnumerable<string> Models() =>
        ProfileLoader.LoadDirectory(Profiles.Directory).Profiles.Where(p => !p.IsMeter).Select(p => p.Model);

    private static IEnumerable<string> Meters() =>
        ProfileLoader.LoadDirectory(Profiles.Directory).Profiles.Where(p => !p.IsMeter && p.Points.Any(point => point.Billing)).Select(p => p.Model);

    [TestCaseSource(nameof(Models))]
    public void Every_numeric_point_of_the_profile_gets_a_value(string model)
    {
        var profile = ProfileLoader.LoadDirectory(Profiles.Directory).Get(model);

        var device = new SimulatedModbusDevice(profile, DeviceModels.Create(profile, new FakeTimeProvider(Midnight), new Random(1)));

        Assert.That(device.UnmodelledPoints, Is.Empty);
    }

    [TestCaseSource(nameof(Models))]
    public void Read_back_as_a_master_would_every_value_stays_within_the_profiles_range_all_day(string model)
    {
        var profile = ProfileLoader.LoadDirectory(Profiles.Directory).Get(model);
        var clock = new FakeTimeProvider(Midnight);
        var device = new SimulatedModbusDevice(profile, DeviceModels.Create(profile, clock, new Random(2)));

        var outside = new List<string>();
        for (var step = 0; step <= 96; step++)
        {
            foreach (var point in profile.Points.Where(p => !p.IsText))
            {
                Assert.That(ProfileRegisterMap.TryRead(point, device.Bank, out var value), Is.True, point.Name);
                if ((point.Min is { } min && value < min) || (point.Max is { } max && value > max))
                    outside.Add($"{point.Name} = {value} at {clock.GetUtcNow():HH:mm}");
            }
            clock.Advance(TimeSpan.FromMinutes(15));
            device.Update();
        }

        Assert.That(outside, Is.Empty);
    }

    [TestCaseSource(nameof(Meters))]
    public void Billing_registers_only_grow(string model)
    {
        var profile = ProfileLoader.LoadDirectory(Profiles.Directory).Get(model);
        var billing = profile.Points.Where(p => p.Billing).ToList();
        var clock = new FakeTimeProvider(Midnight);
        var device = new SimulatedModbusDevice(profile, DeviceModels.Create(profile, clock, new Random(3)));

        var series = billing.ToDictionary(p => p.Name, _ => new List<double>());
        for (var hour = 0; hour <= 24; hour++)
        {
            foreach (var point in billing)
                series[point.Name].Add(ProfileRegisterMap.TryRead(point, device.Bank, out var value) ? value : double.NaN);
            clock.Advance(TimeSpan.FromHours(1));
            device.Update();
        }

        Assert.That(series.Values, Has.All.Ordered.Ascending);
        Assert.That(series.Values.Select(s => s[^1] - s[0]), Has.Some.GreaterThan(0), "a day of use moves a total");
    }
}
