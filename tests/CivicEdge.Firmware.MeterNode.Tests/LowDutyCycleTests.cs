using CivicEdge.Firmware.MeterNode.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace CivicEdge.Firmware.MeterNode.Tests;

[Category("Unit")]
public sealed class LowDutyCycleTests
{
    private static MeterNodeConfiguration Battery() => new()
    {
        PersistEveryPulses = 100,
        ReportIntervalSeconds = 6 * 3600,
        AwakeAfterActivityMilliseconds = 30_000,
    };

    [Test]
    public void The_node_reports_at_its_first_wake_and_sleeps_until_the_next_report_is_due()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 29, 0, 0, 0, TimeSpan.Zero));
        var dial = new MeterDial(time, Battery());
        var power = new RecordingPowerControl();
        var uplink = new RecordingUplink();
        var cycle = new LowDutyCycle(dial.Node, dial.Configuration, dial.Clock, power, uplink);

        bool sleptAtOnce = cycle.Pass();
        time.Advance(TimeSpan.FromSeconds(31));
        bool slept = cycle.Pass();

        Assert.Multiple(() =>
        {
            Assert.That(uplink.Sent, Has.Count.EqualTo(1));
            Assert.That(sleptAtOnce, Is.False, "it stays awake a while after boot in case the dial turns");
            Assert.That(slept, Is.True);
            Assert.That(power.Sleeps.Single(), Is.EqualTo((6 * 3600 - 31) * 1000));
        });
    }

    [Test]
    public void Everything_counted_is_in_flash_before_the_deep_sleep_that_loses_RAM()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 29, 0, 0, 0, TimeSpan.Zero));
        var dial = new MeterDial(time, Battery());
        var power = new RecordingPowerControl();
        var cycle = new LowDutyCycle(dial.Node, dial.Configuration, dial.Clock, power, new RecordingUplink());
        for (int i = 0; i < 7; i++)
            dial.Pulse();
        dial.Quarter(+1);
        bool inFlashAtSleep = false;
        power.BeforeSleep = () => inFlashAtSleep = dial.Node.UnsavedPulses == 0;

        time.Advance(TimeSpan.FromSeconds(31));
        cycle.Pass();
        dial.Boot();
        dial.Quarter(+1);
        dial.Quarter(+1);
        dial.Quarter(+1);

        Assert.Multiple(() =>
        {
            Assert.That(inFlashAtSleep, Is.True);
            Assert.That(dial.Node.State.ForwardPulses, Is.EqualTo(8), "the quarter turned before the sleep completes the eighth pulse after it");
        });
    }

    [Test]
    public void A_node_woken_by_a_pulse_before_the_report_is_due_counts_and_sleeps_again_without_reporting()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 29, 0, 0, 0, TimeSpan.Zero));
        var dial = new MeterDial(time, Battery());
        var uplink = new RecordingUplink();
        var power = new RecordingPowerControl();
        var cycle = new LowDutyCycle(dial.Node, dial.Configuration, dial.Clock, power, uplink);
        time.Advance(TimeSpan.FromSeconds(31));
        cycle.Pass();

        time.Advance(TimeSpan.FromHours(1));
        dial.Boot();
        var woken = new LowDutyCycle(dial.Node, dial.Configuration, dial.Clock, power, uplink);
        dial.Pulse();
        time.Advance(TimeSpan.FromSeconds(31));
        woken.Pass();

        Assert.Multiple(() =>
        {
            Assert.That(uplink.Sent, Has.Count.EqualTo(1));
            Assert.That(power.Sleeps, Has.Count.EqualTo(2));
            Assert.That(power.Sleeps[1], Is.EqualTo((6 * 3600 - 3631) * 1000).Within(1000), "the report left at the first sleep, 3631 s before");
        });
    }

    [Test]
    public void A_report_that_finds_no_coverage_is_retried_after_a_tenth_of_the_interval()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 29, 0, 0, 0, TimeSpan.Zero));
        var dial = new MeterDial(time, Battery());
        var power = new RecordingPowerControl();
        var cycle = new LowDutyCycle(dial.Node, dial.Configuration, dial.Clock, power, new RecordingUplink { InCoverage = false });

        time.Advance(TimeSpan.FromSeconds(31));
        cycle.Pass();

        Assert.Multiple(() =>
        {
            Assert.That(cycle.FailedReports, Is.EqualTo(1));
            Assert.That(power.Sleeps.Single(), Is.EqualTo(6 * 3600 / 10 * 1000));
        });
    }

    [Test]
    public void A_half_turn_the_dial_made_during_deep_sleep_is_counted_at_the_wake()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 29, 0, 0, 0, TimeSpan.Zero));
        var dial = new MeterDial(time, Battery());
        var cycle = new LowDutyCycle(dial.Node, dial.Configuration, dial.Clock, new RecordingPowerControl(), new RecordingUplink());
        dial.Pulse();
        dial.Quarter(+1);
        time.Advance(TimeSpan.FromSeconds(31));
        cycle.Pass();

        // Asleep, nothing watches the contacts: the dial turns two quarters (both contacts change) before the wake.
        dial.TurnUnwatched(2);
        time.Advance(TimeSpan.FromMinutes(5));
        dial.Boot();
        uint atWake = dial.Node.State.ForwardPulses;
        dial.Quarter(+1);

        Assert.Multiple(() =>
        {
            Assert.That(atWake, Is.EqualTo(1), "three quarters are not yet a whole second turn");
            Assert.That(dial.Node.State.ForwardPulses, Is.EqualTo(2));
            Assert.That(dial.Node.QuadratureErrors, Is.Zero);
        });
    }
}
