using CivicEdge.Gateway.Gpio;

namespace CivicEdge.Gateway.Tests.Gpio;

[Category("Unit")]
public sealed class FlowEstimatorTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 28, 6, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan NoFlowAfter = TimeSpan.FromMinutes(15);

    [Test]
    public void Steady_pulses_give_the_volume_per_pulse_over_their_period()
    {
        // 10 L every 72 s is 0.5 m³/h.
        var flow = new FlowEstimator(10, NoFlowAfter);
        for (var i = 0; i < 5; i++)
            flow.Pulse(Start.AddSeconds(72 * i));

        Assert.That(flow.Estimate(Start.AddSeconds(300)), Is.EqualTo(0.5).Within(1e-9));
    }

    [Test]
    public void A_slow_meter_reads_the_same_in_windows_with_and_without_a_pulse()
    {
        // A pulse every 72 s, reported every 60 s: a count per window would read 0.6 and 0 m³/h by turns.
        var flow = new FlowEstimator(10, NoFlowAfter);
        flow.Pulse(Start);
        flow.Pulse(Start.AddSeconds(72));

        var estimates = new List<double> { flow.Estimate(Start.AddSeconds(120)) };
        flow.Pulse(Start.AddSeconds(144));
        estimates.Add(flow.Estimate(Start.AddSeconds(180)));
        estimates.Add(flow.Estimate(Start.AddSeconds(200)));

        Assert.That(estimates, Has.All.EqualTo(0.5).Within(1e-9));
    }

    [Test]
    public void A_meter_that_stops_reads_as_slowing_down_then_as_zero()
    {
        var flow = new FlowEstimator(10, NoFlowAfter);
        flow.Pulse(Start);
        flow.Pulse(Start.AddSeconds(10));

        var slowing = flow.Estimate(Start.AddSeconds(100));
        var stopped = flow.Estimate(Start.AddSeconds(10) + NoFlowAfter);

        Assert.That(slowing, Is.EqualTo(10 / 90.0 * 3.6).Within(1e-9), "one pulse's volume over the time since the last pulse");
        Assert.That(stopped, Is.Zero);
    }

    [Test]
    public void One_pulse_alone_gives_no_flow_rate()
    {
        var flow = new FlowEstimator(10, NoFlowAfter);
        Assert.That(flow.Estimate(Start), Is.Zero, "no pulse yet");

        flow.Pulse(Start);

        Assert.That(flow.Estimate(Start.AddSeconds(30)), Is.Zero, "a period needs two pulses");
    }
}
