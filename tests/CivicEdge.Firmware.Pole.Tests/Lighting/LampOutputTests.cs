using CivicEdge.Firmware.Host;
using CivicEdge.Firmware.Pole.Lighting;
using CivicEdge.Firmware.Pole.Settings;

namespace CivicEdge.Firmware.Pole.Tests.Lighting;

[Category("Unit")]
public sealed class LampOutputTests
{
    private SimulatedDigitalOutput _relay = null!;
    private SimulatedPwmOutput _dimming = null!;
    private PoleSettings _settings = null!;

    [SetUp]
    public void NewPins()
    {
        _relay = new SimulatedDigitalOutput();
        _dimming = new SimulatedPwmOutput();
        _settings = new PoleSettings { MinimumLevelPercent = 10, RampSeconds = 9, MinimumOffSeconds = 300 };
    }

    [Test]
    public void The_control_voltage_is_1_V_at_the_minimum_level_and_10_V_at_full_light()
    {
        var output = new LampOutput(_relay, _dimming, _settings, 0);

        Assert.Multiple(() =>
        {
            Assert.That(output.ControlVoltage(10), Is.EqualTo(1.0).Within(1e-9));
            Assert.That(output.ControlVoltage(55), Is.EqualTo(5.5).Within(1e-9));
            Assert.That(output.ControlVoltage(100), Is.EqualTo(10.0).Within(1e-9));
        });
    }

    [Test]
    public void Switching_on_closes_the_relay_at_the_minimum_level_and_ramps_up_to_the_target()
    {
        var output = new LampOutput(_relay, _dimming, _settings, 0);
        output.Request(100);

        output.Update(300_000, 100);
        Assert.That(_relay.State, Is.True);
        Assert.That(_dimming.DutyCycle, Is.EqualTo(0.1).Within(1e-9), "soft start at 1 V");

        output.Update(304_500, 100);
        Assert.That(output.Level, Is.EqualTo(55).Within(1e-9), "half the ramp after half the ramp time");

        output.Update(309_000, 100);
        Assert.That(_dimming.DutyCycle, Is.EqualTo(1.0).Within(1e-9));
    }

    [Test]
    public void Switching_off_ramps_down_to_the_minimum_before_the_relay_opens()
    {
        var output = new LampOutput(_relay, _dimming, _settings, 0);
        output.Request(100);
        output.Update(300_000, 100);
        output.Update(310_000, 100);

        output.Request(0);
        output.Update(314_500, 100);
        Assert.That(_relay.State, Is.True, "still ramping down");
        output.Update(319_000, 100);

        Assert.That(_relay.State, Is.False);
        Assert.That(_dimming.DutyCycle, Is.Zero);
    }

    [Test]
    public void The_relay_does_not_close_again_before_the_minimum_off_time_has_passed()
    {
        var output = new LampOutput(_relay, _dimming, _settings, 0);
        output.Request(100);
        output.Update(300_000, 100);
        output.Request(0);
        output.Update(301_000, 100);
        Assert.That(_relay.State, Is.False);

        output.Request(100);
        output.Update(500_000, 100);
        Assert.That(_relay.State, Is.False, "an HID lamp does not re-strike while hot");
        Assert.That(output.WaitingToRestrike, Is.True);

        output.Update(601_000, 100);
        Assert.That(_relay.State, Is.True);
        Assert.That(_relay.Transitions, Is.EqualTo(3));
    }

    [Test]
    public void The_minimum_off_time_counts_from_boot_since_a_reboot_may_have_cut_a_burning_lamp()
    {
        var output = new LampOutput(_relay, _dimming, _settings, 0);
        output.Request(100);

        output.Update(299_000, 100);
        Assert.That(_relay.State, Is.False);
        output.Update(300_000, 100);
        Assert.That(_relay.State, Is.True);
    }

    [Test]
    public void A_level_below_the_minimum_is_raised_to_the_minimum_and_the_ceiling_caps_the_level()
    {
        var output = new LampOutput(_relay, _dimming, _settings, -300_000);
        output.Request(3);
        Assert.That(output.Target, Is.EqualTo(10));

        output.Request(100);
        output.Update(0, 50);
        output.Update(60_000, 50);
        Assert.That(output.Level, Is.EqualTo(50));
    }
}
