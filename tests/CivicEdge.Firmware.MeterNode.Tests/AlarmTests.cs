using CivicEdge.Firmware.MeterNode.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace CivicEdge.Firmware.MeterNode.Tests;

[Category("Unit")]
public sealed class AlarmTests
{
    [Test]
    public void Three_reverse_pulses_in_a_row_raise_reverse_flow_and_three_forward_pulses_clear_it()
    {
        var dial = new MeterDial(new FakeTimeProvider());

        dial.Pulse(-1);
        dial.Pulse(-1);
        bool afterTwo = dial.Node.State.Has(MeterState.ReverseFlowFlag);
        dial.Pulse(-1);
        bool afterThree = dial.Node.State.Has(MeterState.ReverseFlowFlag);
        dial.Pulse();
        dial.Pulse();
        dial.Pulse();

        Assert.Multiple(() =>
        {
            Assert.That(afterTwo, Is.False);
            Assert.That(afterThree, Is.True);
            Assert.That(dial.Node.State.Has(MeterState.ReverseFlowFlag), Is.False);
        });
    }

    [Test]
    public void The_reverse_flow_flag_is_in_the_journal_at_once_so_a_reboot_keeps_it()
    {
        var dial = new MeterDial(new FakeTimeProvider(), new MeterNodeConfiguration { PersistEveryPulses = 100 });
        for (int i = 0; i < 3; i++)
            dial.Pulse(-1);

        dial.Boot();

        Assert.That(dial.Node.State.Has(MeterState.ReverseFlowFlag), Is.True);
    }

    [Test]
    public void Flow_that_never_stands_still_for_an_hour_in_a_day_raises_the_leak_flag()
    {
        var dial = new MeterDial(new FakeTimeProvider());

        // A dripping cistern: one litre every 20 minutes, for 23 h, then past 24 h.
        for (int i = 0; i < 3 * 23; i++)
            dial.Pulse(pauseMilliseconds: 20 * 60_000, stepPause: 60_000);
        bool after23Hours = dial.Node.State.Has(MeterState.LeakFlag);
        for (int i = 0; i < 4; i++)
            dial.Pulse(pauseMilliseconds: 20 * 60_000, stepPause: 60_000);

        Assert.Multiple(() =>
        {
            Assert.That(after23Hours, Is.False);
            Assert.That(dial.Node.State.Has(MeterState.LeakFlag), Is.True);
        });
    }

    [Test]
    public void An_hour_without_flow_clears_the_leak_flag_and_restarts_the_watch()
    {
        var dial = new MeterDial(new FakeTimeProvider());
        for (int i = 0; i < 3 * 25; i++)
            dial.Pulse(pauseMilliseconds: 20 * 60_000, stepPause: 60_000);

        dial.Rest(61 * 60_000, stepMilliseconds: 60_000);
        bool afterStill = dial.Node.State.Has(MeterState.LeakFlag);
        for (int i = 0; i < 3 * 10; i++)
            dial.Pulse(pauseMilliseconds: 20 * 60_000, stepPause: 60_000);

        Assert.Multiple(() =>
        {
            Assert.That(afterStill, Is.False);
            Assert.That(dial.Node.State.Has(MeterState.LeakFlag), Is.False, "ten hours of flow after a still hour is no leak");
        });
    }

    [Test]
    public void A_magnet_on_the_tamper_reed_raises_the_magnet_flag_and_counts_one_event()
    {
        var dial = new MeterDial(new FakeTimeProvider());

        dial.TamperReed.Level = false;
        dial.Run(20);
        dial.TamperReed.Level = true;
        dial.Run(20);
        bool cleared = !dial.Node.State.Has(MeterState.MagnetFlag);
        dial.TamperReed.Level = false;
        dial.Run(20);

        Assert.Multiple(() =>
        {
            Assert.That(cleared, Is.True);
            Assert.That(dial.Node.State.Has(MeterState.MagnetFlag), Is.True);
            Assert.That(dial.Node.State.MagnetEvents, Is.EqualTo(2));
        });
    }

    [Test]
    public void Both_contacts_held_closed_past_the_magnet_hold_time_raise_the_magnet_flag()
    {
        var dial = new MeterDial(new FakeTimeProvider(), new MeterNodeConfiguration { MagnetHoldMilliseconds = 60_000 });

        dial.ContactA.Level = false;
        dial.ContactB.Level = false;
        dial.Rest(30_000);
        bool early = dial.Node.State.Has(MeterState.MagnetFlag);
        dial.Rest(31_000);

        Assert.Multiple(() =>
        {
            Assert.That(early, Is.False);
            Assert.That(dial.Node.State.Has(MeterState.MagnetFlag), Is.True);
        });
    }

    [Test]
    public void A_cut_cable_opens_the_loop_wire_and_raises_the_cable_cut_flag()
    {
        var dial = new MeterDial(new FakeTimeProvider());

        dial.CableLoop.Level = true;
        dial.Run(20);

        Assert.Multiple(() =>
        {
            Assert.That(dial.Node.State.Has(MeterState.CableCutFlag), Is.True);
            Assert.That(dial.Node.State.CableCutEvents, Is.EqualTo(1));
        });
    }
}
