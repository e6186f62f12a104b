using CivicEdge.Firmware.Host;
using CivicEdge.Firmware.Pole.Lighting;
using CivicEdge.Firmware.Pole.Scheduling;
using CivicEdge.Firmware.Pole.Settings;
using CivicEdge.Firmware.Pole.Tests.Support;

namespace CivicEdge.Firmware.Pole.Tests.Lighting;

[Category("Unit")]
public sealed class ControlPrecedenceTests
{
    // Berlin, 2025-03-20 12:00 UTC: broad daylight.
    private static readonly DateTimeOffset Noon = new(2025, 3, 20, 12, 0, 0, TimeSpan.Zero);

    private static PoleSettings Quick() => new() { MinimumOffSeconds = 0, RampSeconds = 0, CommandOverrideMinutes = 30 };

    [Test]
    public void By_day_the_schedule_keeps_the_lamp_off()
    {
        var rig = new PoleRig(Noon, settings: Quick());
        rig.Run(TimeSpan.FromSeconds(10));

        Assert.That(rig.Controller.Mode, Is.EqualTo(ControlMode.Schedule));
        Assert.That(rig.Relay.State, Is.False);
    }

    [Test]
    public void A_command_overrides_the_schedule_for_its_time_and_then_the_schedule_resumes()
    {
        var rig = new PoleRig(Noon, settings: Quick());
        rig.Run(TimeSpan.FromSeconds(5));

        rig.Controller.Command(80);
        rig.Run(TimeSpan.FromMinutes(29));
        Assert.That(rig.Controller.Mode, Is.EqualTo(ControlMode.Command));
        Assert.That(rig.Relay.State, Is.True);
        Assert.That(rig.Controller.Output.Level, Is.EqualTo(80));

        rig.Run(TimeSpan.FromMinutes(2));
        Assert.That(rig.Controller.Mode, Is.EqualTo(ControlMode.Schedule));
        Assert.That(rig.Relay.State, Is.False);
    }

    [Test]
    public void Manual_mode_overrides_a_command_until_it_is_released()
    {
        var rig = new PoleRig(Noon, settings: Quick());
        var manual = Quick();
        manual.ManualMode = true;
        manual.ManualLevelPercent = 0;
        Assert.That(rig.Controller.ApplySettings(manual), Is.Null);

        rig.Controller.Command(100);
        rig.Run(TimeSpan.FromSeconds(5));
        Assert.That(rig.Controller.Mode, Is.EqualTo(ControlMode.Manual));
        Assert.That(rig.Relay.State, Is.False);

        manual.ManualMode = false;
        Assert.That(rig.Controller.ApplySettings(manual), Is.Null);
        rig.Run(TimeSpan.FromSeconds(5));
        Assert.That(rig.Controller.Mode, Is.EqualTo(ControlMode.Command));
        Assert.That(rig.Relay.State, Is.True);
    }

    [Test]
    public void A_clock_that_was_never_set_and_no_photocell_leave_the_lamp_on()
    {
        var rig = new PoleRig(Noon, clockSynchronized: false, settings: Quick());
        rig.Run(TimeSpan.FromSeconds(5));

        Assert.That(rig.Controller.TimeSource, Is.EqualTo(TimeSource.Unknown));
        Assert.That(rig.Relay.State, Is.True, "a dark street is worse than a lamp burning by day");
        Assert.That(rig.Controller.Output.Level, Is.EqualTo(100));
    }

    [Test]
    public void A_clock_that_was_never_set_hands_the_decision_to_the_photocell_which_ignores_short_flashes()
    {
        var photocell = new SimulatedDigitalInput(level: false);
        var settings = Quick();
        settings.PhotocellDelaySeconds = 60;
        var rig = new PoleRig(Noon, clockSynchronized: false, settings: settings) { Photocell = photocell };
        rig.Boot(clockSynchronized: false);

        rig.Run(TimeSpan.FromSeconds(5));
        Assert.That(rig.Controller.Mode, Is.EqualTo(ControlMode.Photocell));
        Assert.That(rig.Relay.State, Is.False);

        photocell.Level = true;
        rig.Run(TimeSpan.FromSeconds(30));
        photocell.Level = false;
        rig.Run(TimeSpan.FromSeconds(5));
        Assert.That(rig.Relay.State, Is.False, "a 30 s shadow is not dusk");

        photocell.Level = true;
        rig.Run(TimeSpan.FromSeconds(61));
        Assert.That(rig.Relay.State, Is.True);
    }

    [Test]
    public void Configured_for_the_photocell_the_pole_switches_by_it_and_dims_by_the_clock()
    {
        var photocell = new SimulatedDigitalInput(level: true);
        var settings = Quick();
        settings.UsePhotocell = true;
        settings.UtcOffsetMinutes = 0;
        settings.DimmingStepCount = 1;
        settings.DimmingStepMinutes[0] = 0;
        settings.DimmingStepLevels[0] = 40;
        var rig = new PoleRig(Noon, settings: settings) { Photocell = photocell };
        rig.Boot(clockSynchronized: true);

        rig.Run(TimeSpan.FromSeconds(5));

        Assert.That(rig.Controller.Mode, Is.EqualTo(ControlMode.Photocell));
        Assert.That(rig.Controller.Output.Level, Is.EqualTo(40));
    }
}
