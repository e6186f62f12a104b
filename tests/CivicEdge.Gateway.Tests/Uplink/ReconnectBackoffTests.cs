using CivicEdge.Gateway.Uplink;

namespace CivicEdge.Gateway.Tests.Uplink;

[Category("Unit")]
public sealed class ReconnectBackoffTests
{
    private static readonly TimeSpan Initial = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan Max = TimeSpan.FromSeconds(10);

    [Test]
    public void Each_wait_lies_between_half_and_all_of_a_ceiling_that_doubles_up_to_the_maximum()
    {
        var backoff = new ReconnectBackoff(Initial, Max, new Random(42));
        double[] ceilings = [1, 2, 4, 8, 10, 10, 10];

        var waits = new List<double>();
        foreach (var _ in ceilings)
            waits.Add(backoff.Next().TotalSeconds);

        for (var i = 0; i < ceilings.Length; i++)
            Assert.That(waits[i], Is.InRange(ceilings[i] / 2, ceilings[i]), $"attempt {i + 1}");
    }

    [Test]
    public void Waits_are_jittered()
    {
        var backoff = new ReconnectBackoff(Initial, Initial, new Random(7));

        var waits = new HashSet<TimeSpan>();
        for (var i = 0; i < 10; i++)
            waits.Add(backoff.Next());

        Assert.That(waits, Has.Count.GreaterThan(1));
    }

    [Test]
    public void Reset_starts_again_from_the_initial_delay()
    {
        var backoff = new ReconnectBackoff(Initial, Max, new Random(1));
        for (var i = 0; i < 6; i++)
            backoff.Next();

        backoff.Reset();

        Assert.That(backoff.Next(), Is.LessThanOrEqualTo(Initial));
    }

    [Test]
    public void A_thousand_failures_do_not_overflow_the_wait()
    {
        var backoff = new ReconnectBackoff(Initial, Max, new Random(3));

        var last = TimeSpan.Zero;
        for (var i = 0; i < 1000; i++)
            last = backoff.Next();

        Assert.That(last, Is.InRange(Max / 2, Max));
    }
}
