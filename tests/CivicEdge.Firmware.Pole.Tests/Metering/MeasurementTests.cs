using CivicEdge.Firmware.Host;
using CivicEdge.Firmware.Pole.Settings;
using CivicEdge.Firmware.Pole.Tests.Support;

namespace CivicEdge.Firmware.Pole.Tests.Metering;

[Category("Unit")]
public sealed class MeasurementTests
{
    // 2025-03-20 20:00 UTC in Berlin: night, the schedule has the lamp on.
    private static readonly DateTimeOffset Evening = new(2025, 3, 20, 20, 0, 0, TimeSpan.Zero);

    private static PoleSettings Quick() => new() { MinimumOffSeconds = 0, RampSeconds = 0 };

    [TestCase(41.66, 0.95)]
    [TestCase(33.3, 0.6)]
    [TestCase(80.0, 1.0)]
    public void Voltage_current_power_and_power_factor_are_measured_over_whole_mains_cycles(double samplesPerCycle, double powerFactor)
    {
        var rig = new PoleRig(Evening, settings: Quick());
        rig.Lamp.SamplesPerCycle = samplesPerCycle;
        rig.Lamp.PowerFactor = powerFactor;
        rig.Run(TimeSpan.FromSeconds(3));

        var mains = rig.Controller.Mains;
        Assert.Multiple(() =>
        {
            Assert.That(mains.Cycles, Is.EqualTo(5));
            Assert.That(mains.VoltageRms, Is.EqualTo(230).Within(1).Percent);
            Assert.That(mains.CurrentRms, Is.EqualTo(rig.Lamp.Amps).Within(1.5).Percent);
            Assert.That(mains.ActivePower, Is.EqualTo(100).Within(1.5).Percent);
            Assert.That(mains.PowerFactor, Is.EqualTo(powerFactor).Within(0.02));
        });
    }

    [Test]
    public void Calibration_factors_from_the_settings_scale_the_readings()
    {
        var settings = Quick();
        settings.VoltageScale *= 1.02;
        var rig = new PoleRig(Evening, settings: settings);
        rig.Run(TimeSpan.FromSeconds(3));

        Assert.That(rig.Controller.Mains.VoltageRms, Is.EqualTo(230 * 1.02).Within(1).Percent);
    }

    [Test]
    public void Without_mains_voltage_the_measurement_ends_and_reads_zero()
    {
        var rig = new PoleRig(Evening, settings: Quick());
        rig.Lamp.SupplyVolts = 0;
        rig.Run(TimeSpan.FromSeconds(2));

        Assert.That(rig.Controller.Mains.Cycles, Is.Zero);
        Assert.That(rig.Controller.Mains.VoltageRms, Is.LessThan(1));
        Assert.That(rig.Controller.Mains.ActivePower, Is.LessThan(0.5));
    }

    [Test]
    public void Energy_and_burning_hours_integrate_the_measured_power_over_time()
    {
        var rig = new PoleRig(Evening, settings: Quick());
        rig.Run(TimeSpan.FromHours(2), TimeSpan.FromSeconds(30));

        Assert.That(rig.Controller.Counters.EnergyWattHours, Is.EqualTo(200).Within(2).Percent);
        Assert.That(rig.Controller.Counters.BurningHours, Is.EqualTo(1), "2 h less the first pass");
        Assert.That(rig.Controller.Counters.BurningMilliseconds, Is.EqualTo(TimeSpan.FromHours(2).TotalMilliseconds - 30_000));
    }

    [Test]
    public void Counters_survive_a_reboot_and_are_saved_rarely()
    {
        var rig = new PoleRig(Evening, settings: Quick());
        rig.Run(TimeSpan.FromHours(3), TimeSpan.FromSeconds(30));
        var energy = rig.Controller.Counters.EnergyWattHours;
        var writesBefore = rig.Storage.Writes;

        rig.Lamp.SupplyVolts = 0;
        rig.Run(TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(30));
        Assert.That(rig.Storage.Writes, Is.EqualTo(writesBefore + 1), "saved once when the supply went");
        rig.Lamp.SupplyVolts = 230;
        rig.Boot(clockSynchronized: true);

        Assert.That(rig.Controller.Counters.EnergyWattHours, Is.EqualTo(energy).Within(0.01));
        Assert.That(writesBefore, Is.LessThanOrEqualTo(1 + 3), "settings once, then once an hour");
    }

    [Test]
    public void A_counter_save_torn_by_a_power_loss_leaves_the_previous_save_readable()
    {
        var rig = new PoleRig(Evening, settings: Quick());
        rig.Run(TimeSpan.FromHours(1), TimeSpan.FromSeconds(30));
        var saved = rig.Controller.Counters.EnergyWattHours;

        rig.Storage.TearNextWriteAfter(5);
        Assert.Throws<PowerLossException>(() => rig.Run(TimeSpan.FromHours(1), TimeSpan.FromSeconds(30)));
        rig.Boot(clockSynchronized: true);

        Assert.That(rig.Controller.Counters.EnergyWattHours, Is.EqualTo(saved).Within(0.01));
    }
}
