using System.Device.Gpio;
using CivicEdge.Gateway.Gpio;
using CivicEdge.Gateway.Gpio.Simulation;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace CivicEdge.Gateway.Tests.Gpio;

[Category("Unit")]
public sealed class DebouncedInputTests
{
    private const int Pin = 5;
    private static readonly DateTimeOffset Start = new(2026, 11, 28, 6, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Filter = TimeSpan.FromMilliseconds(50);

    private SimulatedGpioDriver _driver = null!;
    private GpioController _controller = null!;
    private FakeTimeProvider _time = null!;
    private List<(bool Active, DateTimeOffset At)> _changes = null!;

    [SetUp]
    public void SetUp()
    {
        _driver = new SimulatedGpioDriver();
        _controller = new GpioController(_driver);
        _time = new FakeTimeProvider(Start);
        _changes = [];
    }

    [TearDown]
    public void TearDown()
    {
        _controller.Dispose();
        _driver.Dispose();
    }

    [Test]
    public void A_level_that_holds_for_the_filter_is_accepted_as_of_its_first_edge()
    {
        using var input = Open(activeLow: false);

        _driver.Drive(Pin, PinValue.High);
        _time.Advance(Filter - TimeSpan.FromMilliseconds(1));
        Assert.That(_changes, Is.Empty, "not yet held for the whole filter");

        _time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.That(_changes, Is.EqualTo(new[] { (true, Start) }));
        Assert.That(input.Active, Is.True);
    }

    [Test]
    public void Contact_bounce_within_the_filter_makes_one_change()
    {
        using var input = Open(activeLow: false);

        for (var i = 0; i < 6; i++)
        {
            _driver.Drive(Pin, PinValue.High);
            _time.Advance(TimeSpan.FromMilliseconds(2));
            _driver.Drive(Pin, PinValue.Low);
            _time.Advance(TimeSpan.FromMilliseconds(2));
        }

        _driver.Drive(Pin, PinValue.High);
        _time.Advance(Filter);

        Assert.That(_changes, Is.EqualTo(new[] { (true, Start) }), "one change, dated at the first edge of the bounce");
        Assert.That((input.Edges, input.Rejected), Is.EqualTo((13L, 0L)));
    }

    [Test]
    public void A_spike_shorter_than_the_filter_is_rejected_and_counted()
    {
        using var input = Open(activeLow: false);

        _driver.Drive(Pin, PinValue.High);
        _time.Advance(TimeSpan.FromMilliseconds(10));
        _driver.Drive(Pin, PinValue.Low);
        _time.Advance(Filter * 2);

        Assert.That(_changes, Is.Empty);
        Assert.That((input.Active, input.Edges, input.Rejected), Is.EqualTo((false, 2L, 1L)));
    }

    [Test]
    public void An_active_low_input_with_a_pull_up_is_idle_until_pulled_low()
    {
        using var input = Open(activeLow: true, PinMode.InputPullUp);
        Assert.That(input.Active, Is.False, "the pull-up holds it high");

        _driver.Drive(Pin, PinValue.Low);
        _time.Advance(Filter);
        _driver.Release(Pin);
        _time.Advance(Filter);

        Assert.That(_changes.Select(c => c.Active), Is.EqualTo(new[] { true, false }));
    }

    [Test]
    public void The_state_found_on_opening_is_handed_over_before_any_change()
    {
        _driver.Drive(Pin, PinValue.High);
        var opened = new List<bool>();
        using var input = new DebouncedInput(_controller, Pin, PinMode.Input, activeLow: false, Filter, _time, NullLogger.Instance, Record);

        input.Open((active, _) => opened.Add(active));

        Assert.That(opened, Is.EqualTo(new[] { true }));
        Assert.That(_changes, Is.Empty, "the present level is not a change");
    }

    [Test]
    public void Without_a_filter_every_edge_is_a_change_at_once()
    {
        using var input = Open(activeLow: false, filter: TimeSpan.Zero);

        _driver.Drive(Pin, PinValue.High);
        _driver.Drive(Pin, PinValue.Low);

        Assert.That(_changes.Select(c => c.Active), Is.EqualTo(new[] { true, false }));
    }

    [Test]
    public void A_closed_input_releases_its_pin_and_reports_nothing_more()
    {
        var input = Open(activeLow: false);
        _driver.Drive(Pin, PinValue.High);

        input.Dispose();
        _time.Advance(Filter);

        Assert.That(_changes, Is.Empty, "the change still settling is dropped with the input");
        Assert.That((_driver.Mode(Pin), _driver.Callbacks(Pin)), Is.EqualTo(((PinMode?)null, 0)));
    }

    private DebouncedInput Open(bool activeLow, PinMode mode = PinMode.Input, TimeSpan? filter = null)
    {
        var input = new DebouncedInput(_controller, Pin, mode, activeLow, filter ?? Filter, _time, NullLogger.Instance, Record);
        input.Open();
        return input;
    }

    private void Record(bool active, DateTimeOffset at) => _changes.Add((active, at));
}
