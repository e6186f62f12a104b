using CivicEdge.Simulators.Meters;
using Microsoft.Extensions.Time.Testing;

namespace CivicEdge.Simulators.Tests.Meters;

[Category("Unit")]
public sealed class ThreePhaseMeterModelTests
{
    private static readonly DateTimeOffset Midnight = new(2026, 6, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly string[] Phases = ["l1", "l2", "l3"];

    private static double Value(ThreePhaseMeterModel model, string point)
    {
        Assert.That(model.TryGetValue(point, out var value), Is.True, $"the model has no {point}");
        return value;
    }

    /// <summary>Runs a model through one day, updating every <paramref name="step"/>, and returns every snapshot.</summary>
    private static List<Dictionary<string, double>> SimulateDay(int seed, TimeSpan step)
    {
        var clock = new FakeTimeProvider(Midnight);
        var model = new ThreePhaseMeterModel(clock, new Random(seed));
        var snapshots = new List<Dictionary<string, double>> { Snapshot(model) };
        for (var elapsed = step; elapsed <= TimeSpan.FromDays(1); elapsed += step)
        {
            clock.Advance(step);
            model.Update();
            snapshots.Add(Snapshot(model));
        }
        return snapshots;
    }

    private static Dictionary<string, double> Snapshot(ThreePhaseMeterModel model) =>
        ThreePhaseMeterModel.PointNames.ToDictionary(name => name, name => Value(model, name));

    [TestCase(1)]
    [TestCase(2)]
    [TestCase(3)]
    public void Voltages_stay_within_two_percent_of_230_V_all_day(int seed)
    {
        var voltages = SimulateDay(seed, TimeSpan.FromMinutes(1)).SelectMany(s => Phases.Select(p => s[$"voltage_{p}"])).ToList();

        Assert.That(voltages, Has.All.InRange(230 * 0.98, 230 * 1.02));
        Assert.That(voltages.Max() - voltages.Min(), Is.GreaterThan(0.5), "voltages should wander, not stand still");
    }

    [Test]
    public void Frequency_stays_within_five_hundredths_of_50_Hz_and_power_factors_within_085_and_099()
    {
        var day = SimulateDay(4, TimeSpan.FromMinutes(1));

        Assert.That(day.Select(s => s["frequency"]), Has.All.InRange(49.95, 50.05));
        Assert.That(day.SelectMany(s => Phases.Select(p => s[$"power_factor_{p}"])), Has.All.InRange(0.85, 0.99));
    }

    [Test]
    public void Active_power_is_voltage_times_current_times_power_factor_and_the_total_is_their_sum()
    {
        foreach (var s in SimulateDay(5, TimeSpan.FromMinutes(30)))
        {
            var phasePowers = Phases.Select(p => s[$"active_power_{p}"]).ToList();
            for (var i = 0; i < 3; i++)
            {
                var p = Phases[i];
                Assert.That(phasePowers[i], Is.EqualTo(s[$"voltage_{p}"] * s[$"current_{p}"] * s[$"power_factor_{p}"]).Within(1e-9).Percent);
            }
            Assert.That(s["total_active_power"], Is.EqualTo(phasePowers.Sum()).Within(1e-9).Percent);
        }
    }

    [Test]
    public void Currents_follow_the_daily_load_curve_with_an_evening_peak_above_the_night()
    {
        var day = SimulateDay(6, TimeSpan.FromMinutes(5));
        double MeanCurrent(int fromHour, int toHour) => day
            .Where((_, i) => i * 5 >= fromHour * 60 && i * 5 < toHour * 60)
            .Average(s => Phases.Average(p => s[$"current_{p}"]));

        var night = MeanCurrent(2, 4);
        var evening = MeanCurrent(19, 21);

        Assert.That(evening, Is.GreaterThan(3 * night));
        Assert.That(day.SelectMany(s => Phases.Select(p => s[$"current_{p}"])), Has.All.InRange(0.0, 60.0));
    }

    [Test]
    public void Import_energy_never_decreases_and_grows_by_the_integral_of_the_total_power()
    {
        var step = TimeSpan.FromMinutes(1);
        var day = SimulateDay(7, step);
        var imports = day.Select(s => s["import_active_energy"]).ToList();

        var integratedKwh = day.Skip(1).Sum(s => s["total_active_power"] * step.TotalHours / 1000);

        Assert.That(imports.Zip(imports.Skip(1), (before, after) => after - before), Has.All.GreaterThan(0.0));
        Assert.That(imports[^1] - imports[0], Is.EqualTo(integratedKwh).Within(3).Percent);
        Assert.That(day.Select(s => s["total_active_energy"] - s["import_active_energy"] - s["export_active_energy"]), Has.All.EqualTo(0.0).Within(1e-6));
    }

    [Test]
    public void One_update_after_a_whole_day_adds_about_as_much_energy_as_updates_every_minute()
    {
        var clock = new FakeTimeProvider(Midnight);
        var model = new ThreePhaseMeterModel(clock, new Random(8));
        var start = Value(model, "import_active_energy");
        clock.Advance(TimeSpan.FromDays(1));
        model.Update();
        var oneStep = Value(model, "import_active_energy") - start;

        var day = SimulateDay(8, TimeSpan.FromMinutes(1));
        var minuteSteps = day[^1]["import_active_energy"] - day[0]["import_active_energy"];

        Assert.That(oneStep, Is.EqualTo(minuteSteps).Within(10).Percent);
    }

    [Test]
    public void The_same_seed_and_clock_give_the_same_values()
    {
        var first = SimulateDay(9, TimeSpan.FromHours(1));
        var second = SimulateDay(9, TimeSpan.FromHours(1));
        var other = SimulateDay(10, TimeSpan.FromHours(1));

        Assert.That(second, Is.EqualTo(first));
        Assert.That(other[^1]["voltage_l1"], Is.Not.EqualTo(first[^1]["voltage_l1"]));
    }

    [Test]
    public void An_update_without_time_passing_changes_nothing()
    {
        var clock = new FakeTimeProvider(Midnight);
        var model = new ThreePhaseMeterModel(clock, new Random(11));
        var before = Snapshot(model);

        model.Update();

        Assert.That(Snapshot(model), Is.EqualTo(before));
    }

    [Test]
    public void A_pinned_point_reports_exactly_its_pinned_value_until_unpinned()
    {
        var clock = new FakeTimeProvider(Midnight);
        var model = new ThreePhaseMeterModel(clock, new Random(12));

        model.Pin("voltage_l1", 231.5);
        model.Pin("serial_number", 12345678);
        clock.Advance(TimeSpan.FromMinutes(5));
        model.Update();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(Value(model, "voltage_l1"), Is.EqualTo(231.5));
            Assert.That(Value(model, "serial_number"), Is.EqualTo(12345678));
            Assert.That(Value(model, "voltage_l2"), Is.Not.EqualTo(231.5));
        }

        Assert.That(model.Unpin("voltage_l1"), Is.True);
        Assert.That(Value(model, "voltage_l1"), Is.Not.EqualTo(231.5).And.InRange(225.4, 234.6));
        Assert.That(model.Unpin("voltage_l1"), Is.False);
    }

    [Test]
    public void A_point_the_model_does_not_produce_has_no_value()
    {
        var model = new ThreePhaseMeterModel(new FakeTimeProvider(Midnight), new Random(13));

        Assert.That(model.TryGetValue("water_volume", out _), Is.False);
    }

    [TestCase(double.NaN)]
    [TestCase(double.PositiveInfinity)]
    public void Pinning_a_value_that_is_not_a_finite_number_is_refused(double value)
    {
        var model = new ThreePhaseMeterModel(new FakeTimeProvider(Midnight), new Random(14));

        Assert.That(() => model.Pin("voltage_l1", value), Throws.TypeOf<ArgumentOutOfRangeException>());
    }
}
