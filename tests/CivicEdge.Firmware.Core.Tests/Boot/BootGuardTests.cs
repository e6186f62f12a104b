using CivicEdge.Firmware.Core.Boot;
using CivicEdge.Firmware.Core.Hal;
using CivicEdge.Firmware.Core.Scheduling;
using CivicEdge.Firmware.Core.Tests.Support;
using CivicEdge.Firmware.Host;
using Microsoft.Extensions.Time.Testing;

namespace CivicEdge.Firmware.Core.Tests.Boot;

/// <summary>
/// Each "boot" is a new guard, clock and lamp on the same storage, as a device restarts with its flash intact.
/// </summary>
[TestFixture]
[Category("Unit")]
public sealed class BootGuardTests
{
    private const int HealthyAfter = 60_000;

    private MemorySettingsStorage _storage = null!;

    [SetUp]
    public void NewDevice() => _storage = new MemorySettingsStorage();

    [Test]
    public void A_first_boot_runs_normally_and_reports_its_reset_cause()
    {
        var boot = Boot(ResetCause.PowerOn);

        Assert.That(boot.Guard.IsSafeMode, Is.False);
        Assert.That(boot.Guard.FailedBoots, Is.Zero);
        Assert.That(boot.Guard.BootCount, Is.EqualTo(1));
        Assert.That(boot.Guard.Describe(), Is.EqualTo("starting; last reset: power-on"));
        Assert.That(boot.FailSafe.Holds, Is.Zero);
    }

    [Test]
    public void Three_boots_in_a_row_that_hang_into_the_watchdog_start_the_fourth_in_safe_mode_with_the_lamp_on()
    {
        Boot(ResetCause.PowerOn);
        Boot(ResetCause.Watchdog);
        Boot(ResetCause.Watchdog);

        var fourth = Boot(ResetCause.Watchdog);

        Assert.That(fourth.Guard.IsSafeMode, Is.True);
        Assert.That(fourth.Guard.FailedBoots, Is.EqualTo(3));
        Assert.That(fourth.Lamp.State, Is.True, "the fail-safe state of a pole is its lamp on");
        Assert.That(fourth.Guard.LastResetCause, Is.EqualTo(ResetCause.Watchdog));
        Assert.That(fourth.Guard.Describe(), Is.EqualTo("safe mode: 3 boots in a row did not become healthy; last reset: watchdog"));
        Assert.That(fourth.Guard.SafeModeBootCount, Is.EqualTo(1));
    }

    [Test]
    public void Two_failed_boots_are_not_enough_for_safe_mode()
    {
        Boot(ResetCause.PowerOn);
        Boot(ResetCause.Watchdog);

        var third = Boot(ResetCause.Watchdog);

        Assert.That(third.Guard.IsSafeMode, Is.False);
        Assert.That(third.Guard.FailedBoots, Is.EqualTo(2));
    }

    [Test]
    public void The_number_of_failed_boots_before_safe_mode_is_configurable()
    {
        Boot(ResetCause.PowerOn, safeModeAfter: 1);

        Assert.That(Boot(ResetCause.Software, safeModeAfter: 1).Guard.IsSafeMode, Is.True);
    }

    [Test]
    public void A_boot_that_reports_healthy_and_stays_up_for_the_healthy_period_resets_the_count()
    {
        Boot(ResetCause.PowerOn);
        Boot(ResetCause.Watchdog);
        var healthy = Boot(ResetCause.Watchdog);
        healthy.Guard.ReportHealthy();

        healthy.Time.Advance(TimeSpan.FromMilliseconds(HealthyAfter));
        healthy.Guard.Run(healthy.Clock.UptimeMilliseconds);

        Assert.That(healthy.Guard.IsConfirmed, Is.True);
        Assert.That(healthy.Guard.Describe(), Is.EqualTo("healthy; last reset: watchdog"));
        Assert.That(Boot(ResetCause.Watchdog).Guard.FailedBoots, Is.Zero);
    }

    [Test]
    public void A_boot_is_not_confirmed_before_the_healthy_period_even_when_the_application_reports_healthy()
    {
        var boot = Boot(ResetCause.PowerOn);
        boot.Guard.ReportHealthy();

        boot.Time.Advance(TimeSpan.FromMilliseconds(HealthyAfter - 1));
        boot.Guard.Run(boot.Clock.UptimeMilliseconds);

        Assert.That(boot.Guard.IsConfirmed, Is.False);
        Assert.That(Boot(ResetCause.Watchdog).Guard.FailedBoots, Is.EqualTo(1));
    }

    [Test]
    public void A_boot_whose_application_never_reports_healthy_is_not_confirmed()
    {
        var boot = Boot(ResetCause.PowerOn);

        boot.Time.Advance(TimeSpan.FromHours(1));
        boot.Guard.Run(boot.Clock.UptimeMilliseconds);

        Assert.That(boot.Guard.IsConfirmed, Is.False);
    }

    [Test]
    public void A_power_cut_is_not_counted_as_a_failed_boot_and_does_not_clear_the_count()
    {
        Boot(ResetCause.PowerOn);
        Boot(ResetCause.Watchdog);
        Boot(ResetCause.Watchdog);

        // The third boot lost its power; the firmware did not fail it. The crash loop before it still counts.
        var afterPowerCut = Boot(ResetCause.PowerOn);
        var next = Boot(ResetCause.Watchdog);

        Assert.That(afterPowerCut.Guard.IsSafeMode, Is.False);
        Assert.That(afterPowerCut.Guard.FailedBoots, Is.EqualTo(2));
        Assert.That(next.Guard.IsSafeMode, Is.True);
    }

    [Test]
    public void A_safe_mode_boot_that_becomes_healthy_stays_in_safe_mode_and_the_next_boot_runs_normally()
    {
        Boot(ResetCause.PowerOn);
        Boot(ResetCause.Watchdog);
        Boot(ResetCause.Watchdog);
        var safe = Boot(ResetCause.Watchdog);
        safe.Guard.ReportHealthy();
        safe.Time.Advance(TimeSpan.FromMilliseconds(HealthyAfter));

        safe.Guard.Run(safe.Clock.UptimeMilliseconds);
        var next = Boot(ResetCause.Software);

        Assert.That(safe.Guard.IsSafeMode, Is.True);
        Assert.That(safe.Guard.IsConfirmed, Is.True);
        Assert.That(next.Guard.IsSafeMode, Is.False);
        Assert.That(next.Lamp.State, Is.False);
    }

    [Test]
    public void In_safe_mode_every_check_holds_the_outputs_fail_safe_again()
    {
        Boot(ResetCause.PowerOn, safeModeAfter: 1);
        var safe = Boot(ResetCause.Watchdog, safeModeAfter: 1);
        safe.Lamp.Write(false);

        safe.Guard.Run(safe.Clock.UptimeMilliseconds);

        Assert.That(safe.Lamp.State, Is.True);
    }

    [Test]
    public void In_the_main_loop_a_boot_is_confirmed_only_by_passes_that_complete()
    {
        var boot = Boot(ResetCause.PowerOn);
        var watchdog = new FakeWatchdog();
        var loop = new MainLoop(boot.Clock, watchdog, new FakeTimeDelay(boot.Time), capacity: 2, watchdogTimeoutMilliseconds: 10_000);
        loop.Add("boot-guard", boot.Guard, 1000, 0);
        boot.Guard.ReportHealthy();

        while (boot.Clock.UptimeMilliseconds < HealthyAfter)
            new FakeTimeDelay(boot.Time).Sleep(loop.RunPass());
        loop.RunPass();

        Assert.That(boot.Guard.IsConfirmed, Is.True);
        Assert.That(watchdog.Feeds, Is.EqualTo(loop.Passes));
    }

    [Test]
    public void The_guard_counts_each_boot_only_once()
    {
        var boot = Boot(ResetCause.PowerOn);

        Assert.Throws<InvalidOperationException>(() => boot.Guard.Begin(boot.FailSafe));
    }

    private Device Boot(ResetCause cause, int safeModeAfter = BootGuard.DefaultSafeModeAfter)
    {
        var time = new FakeTimeProvider();
        var clock = new SimulatedClock(time);
        var lamp = new SimulatedDigitalOutput();
        var failSafe = new FakeFailSafe(lamp);
        var guard = new BootGuard(_storage, new SimulatedPowerControl(cause), clock, safeModeAfter, HealthyAfter);
        guard.Begin(failSafe);
        return new Device(guard, time, clock, lamp, failSafe);
    }

    private sealed record Device(BootGuard Guard, FakeTimeProvider Time, SimulatedClock Clock, SimulatedDigitalOutput Lamp, FakeFailSafe FailSafe);
}
