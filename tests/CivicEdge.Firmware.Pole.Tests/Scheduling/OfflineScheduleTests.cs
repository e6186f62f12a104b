using CivicEdge.Firmware.Pole.Lighting;
using CivicEdge.Firmware.Pole.Scheduling;
using CivicEdge.Firmware.Pole.Settings;
using CivicEdge.Firmware.Pole.Tests.Support;

namespace CivicEdge.Firmware.Pole.Tests.Scheduling;

[Category("Unit")]
public sealed class OfflineScheduleTests
{
    private static PoleSettings Quick() => new() { MinimumOffSeconds = 0, RampSeconds = 0 };

    [Test]
    public void After_a_reboot_without_network_the_schedule_runs_on_the_time_saved_at_the_outage_plus_the_uptime()
    {
        // Berlin, 2025-03-20, sunset 17:18 UTC. The supply fails at 16:00 for ten minutes.
        var rig = new PoleRig(new DateTimeOffset(2025, 3, 20, 15, 0, 0, TimeSpan.Zero), settings: Quick());
        rig.Run(TimeSpan.FromHours(1), TimeSpan.FromSeconds(30));
        rig.Lamp.SupplyVolts = 0;
        rig.Run(TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(30));
        rig.Time.Advance(TimeSpan.FromMinutes(10));
        rig.Lamp.SupplyVolts = 230;
        rig.Boot(clockSynchronized: false);

        rig.Run(TimeSpan.FromMinutes(10), TimeSpan.FromSeconds(30));
        Assert.That(rig.Controller.TimeSource, Is.EqualTo(TimeSource.Estimated));
        Assert.That(rig.Relay.State, Is.False, "16:20 by the estimate: still day");

        rig.Run(TimeSpan.FromHours(1.25), TimeSpan.FromSeconds(30));
        Assert.That(rig.Controller.Mode, Is.EqualTo(ControlMode.Schedule));
        Assert.That(rig.Relay.State, Is.True, "17:35 by the estimate (17:45 true): after sunset");
    }

    [Test]
    public void A_synchronized_clock_takes_over_from_the_estimate()
    {
        var rig = new PoleRig(new DateTimeOffset(2025, 3, 20, 12, 0, 0, TimeSpan.Zero), clockSynchronized: false, settings: Quick());
        rig.Run(TimeSpan.FromSeconds(5));
        Assert.That(rig.Relay.State, Is.True, "unknown time: on");

        rig.Clock.Set(new DateTime(2025, 3, 20, 12, 0, 5, DateTimeKind.Utc));
        rig.Run(TimeSpan.FromSeconds(5));

        Assert.That(rig.Controller.TimeSource, Is.EqualTo(TimeSource.Synchronized));
        Assert.That(rig.Relay.State, Is.False);
    }
}
