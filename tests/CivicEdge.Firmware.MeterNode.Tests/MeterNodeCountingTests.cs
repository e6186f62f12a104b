using CivicEdge.Firmware.MeterNode.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace CivicEdge.Firmware.MeterNode.Tests;

[Category("Unit")]
public sealed class MeterNodeCountingTests
{
    [Test]
    public void Forward_turns_add_the_pulse_weight_to_the_forward_total()
    {
        var dial = new MeterDial(new FakeTimeProvider(), new MeterNodeConfiguration { PulseWeightMillilitres = 10000 });

        for (int i = 0; i < 7; i++)
            dial.Pulse();

        Assert.Multiple(() =>
        {
            Assert.That(dial.Node.State.ForwardPulses, Is.EqualTo(7));
            Assert.That(dial.Node.State.ForwardMillilitres, Is.EqualTo(70000));
            Assert.That(dial.Node.State.ReverseMillilitres, Is.Zero);
        });
    }

    [Test]
    public void Backward_turns_are_counted_as_reverse_volume_not_as_consumption()
    {
        var dial = new MeterDial(new FakeTimeProvider());

        for (int i = 0; i < 5; i++)
            dial.Pulse();
        for (int i = 0; i < 2; i++)
            dial.Pulse(direction: -1);

        Assert.Multiple(() =>
        {
            Assert.That(dial.Node.State.ForwardPulses, Is.EqualTo(5));
            Assert.That(dial.Node.State.ReversePulses, Is.EqualTo(2));
            Assert.That(dial.Node.State.ReverseMillilitres, Is.EqualTo(2000));
        });
    }

    [Test]
    public void A_dial_trembling_at_rest_adds_nothing_to_either_total()
    {
        var dial = new MeterDial(new FakeTimeProvider());

        for (int i = 0; i < 50; i++)
        {
            dial.Quarter(+1);
            dial.Quarter(-1);
        }

        Assert.That(dial.Node.State.ForwardPulses + dial.Node.State.ReversePulses, Is.Zero);
    }

    [Test]
    public void A_single_contact_counts_each_closure_once_however_much_it_bounces()
    {
        var time = new FakeTimeProvider();
        var dial = new MeterDial(time, new MeterNodeConfiguration { Sensing = ContactSensing.SingleContact, DebounceMilliseconds = 5 });

        for (int pulse = 0; pulse < 3; pulse++)
        {
            for (int bounce = 0; bounce < 4; bounce++)
            {
                dial.ContactA.Level = false;
                dial.Run(1);
                dial.ContactA.Level = true;
                dial.Run(1);
            }

            dial.ContactA.Level = false;
            dial.Run(20);
            dial.ContactA.Level = true;
            dial.Run(20);
        }

        Assert.That(dial.Node.State.ForwardPulses, Is.EqualTo(3));
    }

    [Test]
    public void The_flow_rate_follows_the_time_between_pulses_and_falls_to_zero_when_the_water_stands_still()
    {
        var time = new FakeTimeProvider();
        var dial = new MeterDial(time, new MeterNodeConfiguration { StillSeconds = 600 });

        // 1 L every 3.6 s (4 quarters of 12 ms plus a pause) is 1000 L/h.
        for (int i = 0; i < 5; i++)
            dial.Pulse(pauseMilliseconds: 3600 - 48);
        int flowing = dial.Node.FlowLitresPerHour;
        dial.Rest(7200);
        int slowing = dial.Node.FlowLitresPerHour;
        dial.Rest(600_000);

        Assert.Multiple(() =>
        {
            Assert.That(flowing, Is.InRange(990, 1010));
            Assert.That(slowing, Is.InRange(300, 400), "after 3 intervals without a pulse the flow is at most a third");
            Assert.That(dial.Node.FlowLitresPerHour, Is.Zero);
        });
    }

    [Test]
    public void Reverse_flow_reads_as_a_negative_flow_rate()
    {
        var dial = new MeterDial(new FakeTimeProvider());

        for (int i = 0; i < 4; i++)
            dial.Pulse(direction: -1, pauseMilliseconds: 3600 - 48);

        Assert.That(dial.Node.FlowLitresPerHour, Is.InRange(-1010, -990));
    }
}
