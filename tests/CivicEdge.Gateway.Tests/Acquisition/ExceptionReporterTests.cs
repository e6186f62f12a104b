using CivicEdge.Fleet.Contracts;
using CivicEdge.Gateway.Acquisition;
using CivicEdge.Gateway.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace CivicEdge.Gateway.Tests.Acquisition;

[Category("Unit")]
public sealed class ExceptionReporterTests
{
    private FakeTimeProvider _time = null!;

    [SetUp]
    public void SetUp() => _time = new FakeTimeProvider(TestReadings.Start);

    private static PointValue Value(double value, Quality quality = Quality.Good) => new("voltage", value, "V", "voltage", quality);

    private IReadOnlyList<int> Poll(ExceptionReporter reporter, params PointValue?[] values)
    {
        var chosen = reporter.Select(values, _time.GetUtcNow());
        _time.Advance(TimeSpan.FromSeconds(5));
        return chosen;
    }

    [Test]
    public void Every_point_is_reported_the_first_time_it_has_a_value()
    {
        var reporter = new ExceptionReporter([0.5, 0.5, 0.5], [null, null, null]);

        Assert.That(Poll(reporter, Value(230), null, Value(0)), Is.EqualTo(new[] { 0, 2 }));
    }

    [Test]
    public void Nothing_is_reported_while_nothing_moves()
    {
        var reporter = new ExceptionReporter([0], [null]);
        Poll(reporter, Value(230));

        Assert.That(Enumerable.Range(0, 10).Select(_ => Poll(reporter, Value(230)).Count), Has.All.Zero);
    }

    [Test]
    public void Without_a_deadband_every_change_is_reported()
    {
        var reporter = new ExceptionReporter([0], [null]);
        Poll(reporter, Value(230));

        Assert.That(Poll(reporter, Value(230.000001)), Is.EqualTo(new[] { 0 }));
    }

    [Test]
    public void A_move_within_the_deadband_is_not_reported_but_a_drift_adds_up_from_the_value_last_reported()
    {
        var reporter = new ExceptionReporter([0.5], [null]);
        Poll(reporter, Value(230));

        Assert.That(Poll(reporter, Value(230.3)), Is.Empty);
        Assert.That(Poll(reporter, Value(230.5)), Is.Empty, "exactly the deadband is not more than it");
        Assert.That(Poll(reporter, Value(229.6)), Is.Empty);
        Assert.That(Poll(reporter, Value(230.6)), Is.EqualTo(new[] { 0 }), "0.6 V from 230, the value last reported");
        Assert.That(Poll(reporter, Value(230.9)), Is.Empty, "now measured from 230.6");
        Assert.That(Poll(reporter, Value(230.0)), Is.EqualTo(new[] { 0 }));
    }

    [Test]
    public void A_point_that_does_not_move_is_reported_again_once_its_maximum_silence_has_passed()
    {
        var reporter = new ExceptionReporter([0.5, 0.5], [TimeSpan.FromSeconds(12), null]);
        Poll(reporter, Value(230), Value(230));

        // Polls every 5 s: at 5 and 10 s it has been silent less than 12 s; at 15 s it is due.
        Assert.That(Poll(reporter, Value(230), Value(230)), Is.Empty);
        Assert.That(Poll(reporter, Value(230.1), Value(230)), Is.Empty);
        Assert.That(Poll(reporter, Value(230.2), Value(230)), Is.EqualTo(new[] { 0 }));
        Assert.That(Poll(reporter, Value(230.2), Value(230)), Is.Empty, "the silence counts again from that report");
    }

    [Test]
    public void A_change_of_quality_is_reported_even_without_a_change_of_value()
    {
        var reporter = new ExceptionReporter([10], [null]);
        Poll(reporter, Value(230));

        Assert.That(Poll(reporter, Value(230, Quality.Stale)), Is.EqualTo(new[] { 0 }));
        Assert.That(Poll(reporter, Value(230)), Is.EqualTo(new[] { 0 }));
        Assert.That(Poll(reporter, Value(301, Quality.OutOfRange)), Is.EqualTo(new[] { 0 }));
    }

    [Test]
    public void A_value_repeated_because_it_was_not_read_is_reported_once_however_long_it_lasts()
    {
        var reporter = new ExceptionReporter([0], [TimeSpan.FromSeconds(5)]);
        Poll(reporter, Value(230));

        Assert.That(Poll(reporter, Value(230, Quality.CommError)), Is.EqualTo(new[] { 0 }));
        Assert.That(Enumerable.Range(0, 5).Select(_ => Poll(reporter, Value(230, Quality.CommError)).Count), Has.All.Zero,
            "the maximum silence does not repeat what the fleet already knows is not being read");
    }
}
