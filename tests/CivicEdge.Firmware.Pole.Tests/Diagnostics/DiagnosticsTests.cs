using CivicEdge.Firmware.Pole.Diagnostics;
using CivicEdge.Firmware.Pole.Settings;
using CivicEdge.Firmware.Pole.Tests.Support;

namespace CivicEdge.Firmware.Pole.Tests.Diagnostics;

[Category("Unit")]
public sealed class DiagnosticsTests
{
    private static readonly DateTimeOffset Evening = new(2025, 3, 20, 20, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Noon = new(2025, 3, 20, 12, 0, 0, TimeSpan.Zero);

    private static PoleSettings Quick() => new() { MinimumOffSeconds = 0, RampSeconds = 0, IgnitionDelaySeconds = 120 };

    private static List<(PoleEvent Event, bool Raised)> Take(PoleController controller)
    {
        var taken = new List<(PoleEvent, bool)>();
        for (var i = 0; i < controller.Events.Count; i++)
            taken.Add((controller.Events.EventAt(i), controller.Events.RaisedAt(i)));
        controller.Events.Remove(controller.Events.Count);
        return taken;
    }

    [Test]
    public void A_dead_lamp_is_reported_once_after_the_ignition_delay_and_cleared_once_it_burns_again()
    {
        var rig = new PoleRig(Evening, settings: Quick());
        rig.Lamp.Failed = true;

        rig.Run(TimeSpan.FromSeconds(125));
        Assert.That(rig.Controller.LampFailed, Is.False, "still igniting");
        rig.Run(TimeSpan.FromSeconds(10));
        Assert.That(rig.Controller.LampFailed, Is.True);

        rig.Run(TimeSpan.FromMinutes(10), TimeSpan.FromSeconds(5));
        rig.Lamp.Failed = false;
        rig.Run(TimeSpan.FromSeconds(15));

        Assert.That(rig.Controller.LampFailed, Is.False);
        Assert.That(Take(rig.Controller), Is.EqualTo(new[] { (PoleEvent.LampFailure, true), (PoleEvent.LampFailure, false) }));
    }

    [Test]
    public void A_failed_lamp_stays_failed_through_the_day_instead_of_clearing_and_raising_again_each_evening()
    {
        var rig = new PoleRig(new DateTimeOffset(2025, 3, 21, 4, 0, 0, TimeSpan.Zero), settings: Quick());
        rig.Lamp.Failed = true;

        rig.Run(TimeSpan.FromHours(24), TimeSpan.FromSeconds(30));

        Assert.That(rig.Controller.LampFailed, Is.True);
        Assert.That(Take(rig.Controller), Is.EqualTo(new[] { (PoleEvent.LampFailure, true) }));
    }

    [Test]
    public void Current_with_the_relay_off_is_a_relay_fault_and_the_day_burner_shows_in_the_status()
    {
        var rig = new PoleRig(Noon, settings: Quick());
        rig.Lamp.Welded = true;

        rig.Run(TimeSpan.FromSeconds(20));

        Assert.That(rig.Relay.State, Is.False);
        Assert.That(rig.Controller.LampLit, Is.True);
        Assert.That(rig.Controller.RelayFaulty, Is.True);
        Assert.That(Take(rig.Controller), Is.EqualTo(new[] { (PoleEvent.RelayFault, true) }));
    }

    [Test]
    public void A_relay_whose_feedback_contact_disagrees_with_its_command_is_a_relay_fault()
    {
        var rig = new PoleRig(Evening, settings: Quick()) { WithRelayFeedback = true };
        rig.Boot(clockSynchronized: true);
        rig.Run(TimeSpan.FromSeconds(20));
        Assert.That(rig.Controller.RelayFaulty, Is.False);

        rig.WithRelayFeedback = false;
        rig.RelayFeedback.Level = false;
        rig.Run(TimeSpan.FromSeconds(15));

        Assert.That(rig.Controller.RelayFaulty, Is.True);
    }

    [Test]
    public void A_bouncing_door_contact_raises_one_open_and_one_close()
    {
        var rig = new PoleRig(Noon, settings: Quick());
        for (var i = 0; i < 5; i++)
        {
            rig.Door.Level = !rig.Door.Level;
            rig.Run(TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(50));
        }

        rig.Door.Level = true;
        rig.Run(TimeSpan.FromSeconds(1), TimeSpan.FromMilliseconds(50));
        Assert.That(rig.Controller.DoorOpen, Is.True);
        rig.Door.Level = false;
        rig.Run(TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(50));
        rig.Door.Level = true;
        rig.Run(TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(50));
        rig.Door.Level = false;
        rig.Run(TimeSpan.FromSeconds(1), TimeSpan.FromMilliseconds(50));

        Assert.That(rig.Controller.DoorOpen, Is.False);
        Assert.That(Take(rig.Controller), Is.EqualTo(new[] { (PoleEvent.DoorOpen, true), (PoleEvent.DoorOpen, false) }));
    }

    [Test]
    public void A_lean_past_the_threshold_raises_tilt_and_only_a_return_past_the_hysteresis_clears_it()
    {
        var rig = new PoleRig(Noon, settings: Quick());
        rig.Accelerometer.Lean(12);
        rig.Run(TimeSpan.FromSeconds(3));
        Assert.That(rig.Controller.Tilted, Is.False, "a gust is not a tilt");
        rig.Run(TimeSpan.FromSeconds(5));
        Assert.That(rig.Controller.Tilted, Is.True);
        Assert.That(rig.Controller.Tilt.AngleDegrees, Is.EqualTo(12).Within(0.2));

        rig.Accelerometer.Lean(8);
        rig.Run(TimeSpan.FromSeconds(30));
        Assert.That(rig.Controller.Tilted, Is.True, "8° is inside the 3° hysteresis band");

        rig.Accelerometer.Lean(6);
        rig.Run(TimeSpan.FromSeconds(10));
        Assert.That(rig.Controller.Tilted, Is.False);
        Assert.That(Take(rig.Controller), Is.EqualTo(new[] { (PoleEvent.Tilt, true), (PoleEvent.Tilt, false) }));
        Assert.That(rig.Accelerometer.Register(0x20), Is.EqualTo(0x27), "configured for 10 Hz, X/Y/Z");
    }

    [Test]
    public void A_tilt_switch_raises_tilt_without_an_accelerometer_and_a_missing_sensor_is_counted()
    {
        var rig = new PoleRig(Noon, settings: Quick());
        rig.Accelerometer.Absent = true;
        rig.TiltSwitch.Level = true;

        rig.Run(TimeSpan.FromSeconds(10));

        Assert.That(rig.Controller.Tilted, Is.True);
        Assert.That(rig.Controller.Tilt.AccelerometerErrors, Is.GreaterThan(0));
    }

    [Test]
    public void A_hot_driver_is_throttled_and_released_once_it_has_cooled_past_the_hysteresis()
    {
        var rig = new PoleRig(Evening, settings: Quick());
        rig.Run(TimeSpan.FromSeconds(5));
        Assert.That(rig.Controller.DriverTemperature, Is.EqualTo(40).Within(0.5));
        Assert.That(rig.Controller.Output.Level, Is.EqualTo(100));

        rig.DriverCelsius = 90;
        rig.Run(TimeSpan.FromSeconds(12));
        Assert.That(rig.Controller.DriverOvertemperature, Is.True);
        Assert.That(rig.Controller.Output.Level, Is.EqualTo(50));

        rig.DriverCelsius = 82;
        rig.Run(TimeSpan.FromSeconds(30));
        Assert.That(rig.Controller.DriverOvertemperature, Is.True, "82 °C is inside the 5 °C hysteresis");

        rig.DriverCelsius = 78;
        rig.Run(TimeSpan.FromSeconds(12));
        Assert.That(rig.Controller.DriverOvertemperature, Is.False);
        Assert.That(rig.Controller.Output.Level, Is.EqualTo(100));
        Assert.That(Take(rig.Controller), Is.EqualTo(new[] { (PoleEvent.DriverOvertemperature, true), (PoleEvent.DriverOvertemperature, false) }));
    }

    [Test]
    public void A_full_event_log_gives_way_oldest_first_and_counts_what_it_dropped()
    {
        var log = new PoleEventLog();
        for (var i = 0; i < PoleEventLog.Capacity + 3; i++)
            log.Record(PoleEvent.DoorOpen, i % 2 == 0, i);

        Assert.That(log.Count, Is.EqualTo(PoleEventLog.Capacity));
        Assert.That(log.Dropped, Is.EqualTo(3));
        Assert.That(log.UtcTicksAt(0), Is.EqualTo(3));
    }
}
