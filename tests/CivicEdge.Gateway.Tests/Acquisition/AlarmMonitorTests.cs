using CivicEdge.Fleet.Contracts;
using CivicEdge.Gateway.Acquisition;
using CivicEdge.Gateway.Tests.Support;
using CivicEdge.Hardware;
using Microsoft.Extensions.Time.Testing;
using static CivicEdge.Gateway.Tests.Support.TestProfiles;

namespace CivicEdge.Gateway.Tests.Acquisition;

[Category("Unit")]
public sealed class AlarmMonitorTests
{
    private FakeTimeProvider _time = null!;

    [SetUp]
    public void SetUp() => _time = new FakeTimeProvider(TestReadings.Start);

    private static AlarmLimit Limit(AlarmKind kind, double value, double hysteresis = 0, TimeSpan delay = default, AlarmSeverity severity = AlarmSeverity.Warning, string? message = null) =>
        new(kind, value, severity, hysteresis, delay, message);

    private static NormalizedPoint Voltage(params AlarmLimit[] limits) =>
        new(Point("voltage", 0, unit: "V") with { Alarms = limits });

    private static PointValue Value(double value, Quality quality = Quality.Good) => new("voltage", value, "V", "voltage", quality);

    private IReadOnlyList<DeviceEvent> Poll(AlarmMonitor monitor, PointValue? value, bool answered = true, TimeSpan? after = null)
    {
        var events = monitor.Evaluate(answered, [value], _time.GetUtcNow());
        _time.Advance(after ?? TimeSpan.FromSeconds(5));
        return events;
    }

    [Test]
    public void A_value_beyond_a_limit_raises_it_once_and_a_value_back_inside_by_the_hysteresis_clears_it_once()
    {
        var monitor = new AlarmMonitor("mtr-1", [Voltage(Limit(AlarmKind.High, 253, hysteresis: 2, severity: AlarmSeverity.Major, message: "Over-voltage"))], []);

        var raised = Poll(monitor, Value(254));
        var during = new[] { 256.0, 252.0, 251.5, 253.5 }.SelectMany(v => Poll(monitor, Value(v))).ToList();
        var cleared = Poll(monitor, Value(251));
        var after = Poll(monitor, Value(252.5));

        Assert.That(raised.Single(), Is.EqualTo(new DeviceEvent("mtr-1", TestReadings.Start, "voltage.high", EventState.Raised, EventSeverity.Major, "Over-voltage", "voltage", 254)));
        Assert.That(during, Is.Empty, "still raised while the value stays above 251 V, the limit less the hysteresis");
        Assert.That(cleared.Single(), Is.EqualTo(new DeviceEvent("mtr-1", TestReadings.Start.AddSeconds(25), "voltage.high", EventState.Cleared, EventSeverity.Major,
            "Over-voltage - cleared, voltage back to 251 V", "voltage", 251)));
        Assert.That(after, Is.Empty, "below the limit again, so not raised");
    }

    [Test]
    public void An_on_delay_raises_only_once_the_value_has_stayed_beyond_the_limit_that_long()
    {
        var monitor = new AlarmMonitor("mtr-1", [Voltage(Limit(AlarmKind.Low, 207, delay: TimeSpan.FromSeconds(60)))], []);

        Assert.That(Poll(monitor, Value(200), after: TimeSpan.FromSeconds(30)), Is.Empty);
        Assert.That(Poll(monitor, Value(210), after: TimeSpan.FromSeconds(30)), Is.Empty, "back inside: the wait starts over");
        Assert.That(Poll(monitor, Value(200), after: TimeSpan.FromSeconds(30)), Is.Empty);
        Assert.That(Poll(monitor, Value(201), after: TimeSpan.FromSeconds(30)), Is.Empty);
        var raised = Poll(monitor, Value(202));

        Assert.That(raised.Single(), Has.Property(nameof(DeviceEvent.State)).EqualTo(EventState.Raised)
            .And.Property(nameof(DeviceEvent.Timestamp)).EqualTo(TestReadings.Start.AddSeconds(120))
            .And.Property(nameof(DeviceEvent.Message)).EqualTo("voltage below low limit 207 V"));
    }

    [Test]
    public void Each_limit_is_an_alarm_of_its_own()
    {
        var monitor = new AlarmMonitor("mtr-1", [Voltage(Limit(AlarmKind.High, 253), Limit(AlarmKind.HighHigh, 264.5, severity: AlarmSeverity.Critical))], []);

        var raised = Poll(monitor, Value(270));
        var oneCleared = Poll(monitor, Value(260));

        Assert.That(raised.Select(e => (e.Code, e.Severity)), Is.EqualTo(new[] { ("voltage.high", EventSeverity.Warning), ("voltage.highHigh", EventSeverity.Critical) }));
        Assert.That(oneCleared.Select(e => (e.Code, e.State)), Is.EqualTo(new[] { ("voltage.highHigh", EventState.Cleared) }));
    }

    [TestCase(Quality.OutOfRange)]
    [TestCase(Quality.Stale)]
    [TestCase(Quality.CommError)]
    public void A_value_that_is_not_good_neither_raises_nor_clears(Quality quality)
    {
        var monitor = new AlarmMonitor("mtr-1", [Voltage(Limit(AlarmKind.High, 253))], []);

        Assert.That(Poll(monitor, Value(400, quality)), Is.Empty);
        Assert.That(Poll(monitor, Value(260)).Single().State, Is.EqualTo(EventState.Raised));
        Assert.That(Poll(monitor, Value(200, quality)), Is.Empty);
        Assert.That(Poll(monitor, null), Is.Empty);
    }

    [Test]
    public void A_set_alarm_follows_a_status_flag()
    {
        var flag = new NormalizedPoint(Point("lamp_failure", 5, unit: "1") with { Alarms = [Limit(AlarmKind.Set, 0, severity: AlarmSeverity.Major)] });
        var monitor = new AlarmMonitor("lamp-1", [flag], []);

        var raised = monitor.Evaluate(true, [new PointValue("lamp_failure", 1, "1", "fault", Quality.Good)], _time.GetUtcNow());
        var cleared = monitor.Evaluate(true, [new PointValue("lamp_failure", 0, "1", "fault", Quality.Good)], _time.GetUtcNow());

        Assert.That(raised.Single().Message, Is.EqualTo("lamp_failure is set"));
        Assert.That(cleared.Single().Message, Is.EqualTo("lamp_failure is set - cleared, lamp_failure back to 0"));
    }

    [Test]
    public void A_device_that_does_not_answer_raises_comm_lost_once_and_clears_it_when_it_answers()
    {
        var monitor = new AlarmMonitor("mtr-1", [Voltage()], []);
        Poll(monitor, Value(230));

        var lost = Poll(monitor, Value(230, Quality.CommError), answered: false);
        var still = Poll(monitor, Value(230, Quality.CommError), answered: false);
        var back = Poll(monitor, Value(230));

        Assert.That(lost.Single(), Is.EqualTo(new DeviceEvent("mtr-1", TestReadings.Start.AddSeconds(5), AlarmMonitor.CommLostCode, EventState.Raised,
            EventSeverity.Major, "Device mtr-1 does not answer; its points are reported as comm-error")));
        Assert.That(still, Is.Empty);
        Assert.That((back.Single().Code, back.Single().State, back.Single().Message),
            Is.EqualTo((AlarmMonitor.CommLostCode, EventState.Cleared, "Device mtr-1 answers again")));
    }

    [Test]
    public void Alarms_that_stood_before_a_restart_are_not_raised_again_and_clear_when_their_condition_has_gone()
    {
        RaisedAlarm[] restored =
        [
            new("mtr-1", "voltage.high", EventSeverity.Warning, "voltage", TestReadings.Start.AddDays(-1)),
            new("mtr-1", AlarmMonitor.CommLostCode, EventSeverity.Major, null, TestReadings.Start.AddDays(-1)),
        ];
        var monitor = new AlarmMonitor("mtr-1", [Voltage(Limit(AlarmKind.High, 253))], restored);

        var first = Poll(monitor, Value(255));
        var second = Poll(monitor, Value(250));

        Assert.That(first.Select(e => (e.Code, e.State)), Is.EqualTo(new[] { (AlarmMonitor.CommLostCode, EventState.Cleared) }),
            "the device answers, so comm_lost clears; the voltage is still high, which the fleet already knows");
        Assert.That(second.Select(e => (e.Code, e.State)), Is.EqualTo(new[] { ("voltage.high", EventState.Cleared) }));
    }

    [Test]
    public void A_standing_alarm_whose_limit_left_the_profile_is_cleared_at_the_first_poll()
    {
        var monitor = new AlarmMonitor("mtr-1", [Voltage()], [new("mtr-1", "voltage.lowLow", EventSeverity.Major, "voltage", TestReadings.Start)]);

        var events = Poll(monitor, null);

        Assert.That(events.Single(), Is.EqualTo(new DeviceEvent("mtr-1", TestReadings.Start, "voltage.lowLow", EventState.Cleared, EventSeverity.Major,
            "voltage.lowLow is no longer in the device's profile; cleared", "voltage")));
        Assert.That(Poll(monitor, null), Is.Empty);
    }
}
