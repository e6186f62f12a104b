using CivicEdge.Hardware;
using CivicEdge.Simulators.Devices;
using CivicEdge.Simulators.Lighting;
using CivicEdge.Simulators.Tests.Devices;
using Microsoft.Extensions.Time.Testing;

namespace CivicEdge.Simulators.Tests.Lighting;

[Category("Unit")]
public sealed class LampControllerModelTests
{
    private static readonly DateTimeOffset Evening = new(2026, 11, 1, 19, 0, 0, TimeSpan.Zero);

    private static readonly DeviceProfile Slc1 = ProfileLoader.LoadDirectory(Profiles.Directory).Get("civicedge-slc1");

    private static double Read(SimulatedModbusDevice device, string point) =>
        ProfileRegisterMap.TryRead(Slc1.Points.Single(p => p.Name == point), device.Bank, out var value) ? value : double.NaN;

    [Test]
    public void At_power_up_the_lamp_is_lit_at_80_percent_and_draws_power_current_and_counts_energy()
    {
        var clock = new FakeTimeProvider(Evening);
        var device = new SimulatedModbusDevice(Slc1, new LampControllerModel(clock, new Random(1)));
        var energy = Read(device, "lamp_energy");

        clock.Advance(TimeSpan.FromHours(2));
        device.Update();

        Assert.That((Read(device, "lamp_relay"), Read(device, "dimming_level"), Read(device, "lamp_on")), Is.EqualTo((1.0, 80.0, 1.0)));
        Assert.That(Read(device, "lamp_power"), Is.InRange(90.0, 100.0), "82 % of a 120 W luminaire");
        Assert.That(Read(device, "lamp_current"), Is.EqualTo(Read(device, "lamp_power") / (Read(device, "lamp_voltage") * Read(device, "power_factor"))).Within(0.01));
        Assert.That(Read(device, "lamp_energy") - energy, Is.InRange(0.17, 0.21), "about 95 W for two hours");
    }

    [Test]
    public void The_lamp_follows_what_a_master_writes_to_the_relay_and_the_dimming_level()
    {
        var clock = new FakeTimeProvider(Evening);
        var device = new SimulatedModbusDevice(Slc1, new LampControllerModel(clock, new Random(2)));

        device.Bank.WriteFromMaster(0, [30]);
        clock.Advance(TimeSpan.FromSeconds(1));
        device.Update();
        var dimmed = Read(device, "lamp_power");
        device.Bank.WriteBitsFromMaster(0, [false]);
        clock.Advance(TimeSpan.FromSeconds(1));
        device.Update();

        Assert.That(dimmed, Is.InRange(40.0, 47.0), "37 % of 120 W");
        Assert.That((Read(device, "lamp_power"), Read(device, "lamp_current"), Read(device, "lamp_on")), Is.EqualTo((0.0, 0.0, 0.0)));
        Assert.That(Read(device, "lamp_voltage"), Is.InRange(225.0, 235.0), "the supply is still there");
    }

    [Test]
    public void A_scripted_lamp_failure_keeps_the_relay_on_draws_nothing_and_flags_the_failure_until_the_repair()
    {
        var clock = new FakeTimeProvider(Evening);
        var model = new LampControllerModel(clock, new Random(3));
        model.FailBetween(Evening.AddMinutes(1), Evening.AddMinutes(5));
        var device = new SimulatedModbusDevice(Slc1, model);

        clock.Advance(TimeSpan.FromMinutes(2));
        device.Update();
        var failed = (Read(device, "lamp_relay"), Read(device, "lamp_current"), Read(device, "lamp_power"), Read(device, "lamp_on"), Read(device, "lamp_failure"));
        clock.Advance(TimeSpan.FromMinutes(4));
        device.Update();

        Assert.That(failed, Is.EqualTo((1.0, 0.0, 0.0, 0.0, 1.0)));
        Assert.That((Read(device, "lamp_on"), Read(device, "lamp_failure")), Is.EqualTo((1.0, 0.0)), "repaired");
        Assert.That(Read(device, "lamp_current"), Is.GreaterThan(0.3));
    }
}
