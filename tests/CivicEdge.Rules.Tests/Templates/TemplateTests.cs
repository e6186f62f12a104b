using CivicEdge.Hardware;
using CivicEdge.Rules.Documents;
using CivicEdge.Rules.Evaluation;
using CivicEdge.Rules.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace CivicEdge.Rules.Tests.Templates;

/// <summary>
/// Every template in <c>hardware/rules</c> loads and validates against the repository's profiles, and fires on a scripted
/// sequence of readings with the point names those profiles give.
/// </summary>
[Category("Unit")]
public sealed class TemplateTests
{
    private static readonly string[] Expected =
    [
        "pole-lamp-failure", "pole-lamp-lit-in-daylight", "pole-door-open", "pole-tilt", "pole-energy-meter-lost",
        "meter-reverse-flow", "meter-leak", "meter-tamper",
    ];

    private FakeTimeProvider _clock = null!;
    private IntentRecorder _recorder = null!;
    private RuleEngine _engine = null!;

    private static IEnumerable<string> Templates() =>
        Directory.EnumerateFiles(Repository.RulesDirectory, "*.yaml").Select(Path.GetFileNameWithoutExtension).Order(StringComparer.Ordinal)!;

    [Test]
    public void The_repository_ships_templates_for_poles_and_meters()
    {
        Assert.That(Templates(), Is.EquivalentTo(Expected));
    }

    [TestCaseSource(nameof(Templates))]
    public void A_template_is_valid_against_the_repository_profiles_and_names_no_device_code(string name)
    {
        var set = RuleSetLoader.LoadFile(Path.Combine(Repository.RulesDirectory, name + ".yaml"), Repository.Catalog);

        Assert.That(set.Id, Is.EqualTo(name));
        Assert.That(set.Devices.Select(d => d.DeviceId), Has.All.Null, "a template is bound to devices where it is used");
    }

    [Test]
    public void Lamp_failure_fires_when_the_relay_is_on_and_the_lamp_draws_no_current_and_clears_when_repaired()
    {
        Start("pole-lamp-failure", "lamp", new DateTimeOffset(2026, 1, 10, 22, 0, 0, TimeSpan.Zero));
        Read("lamp_relay", 1);
        Read("lamp_current", 0.42);
        Poll(3);
        Read("lamp_current", 0.0);
        Poll(1);
        Assert.That(_recorder.Intents, Is.Empty, "one poll cycle is not yet a failure");
        Poll(1);

        var raised = _recorder.Of<RaiseAlarm>().Single();
        Assert.That((raised.Alarm, raised.Severity, raised.Message), Is.EqualTo(("lamp_failure", AlarmSeverity.Major, "Lamp failure at dev-1: relay on but the lamp draws 0 A")));

        Read("lamp_current", 0.41);
        Assert.That(_recorder.Of<ClearAlarm>().Single().Alarm, Is.EqualTo("lamp_failure"));
    }

    [Test]
    public void Lamp_failure_does_not_fire_for_a_lamp_switched_off()
    {
        Start("pole-lamp-failure", "lamp", new DateTimeOffset(2026, 1, 10, 22, 0, 0, TimeSpan.Zero));
        Read("lamp_relay", 0);
        Read("lamp_current", 0.0);
        Poll(10);

        Assert.That(_recorder.Intents, Is.Empty);
    }

    [Test]
    public void Lamp_lit_in_daylight_fires_ten_minutes_into_daylight_and_not_at_night()
    {
        // Berlin, 15 January 2026: sunrise 08:10 CET, 07:10 UTC.
        Start("pole-lamp-lit-in-daylight", "lamp", new DateTimeOffset(2026, 1, 15, 6, 0, 0, TimeSpan.Zero), new RuleEngineOptions { Latitude = 52.52, Longitude = 13.405 });
        Read("lamp_on", 1);
        Read("lamp_power", 41.5);
        Poll(6 * 70); // until 07:10 UTC: still night
        Assert.That(_recorder.Intents, Is.Empty);

        Poll(6 * 20);

        var raised = _recorder.Of<RaiseAlarm>().Single();
        Assert.That(raised.At, Is.InRange(new DateTimeOffset(2026, 1, 15, 7, 19, 0, TimeSpan.Zero), new DateTimeOffset(2026, 1, 15, 7, 21, 0, TimeSpan.Zero)));
        Assert.That(raised.Message, Is.EqualTo("Lamp at dev-1 lit in daylight, drawing 41.5 W"));
    }

    [Test]
    public void Door_open_raises_on_opening_and_clears_on_closing()
    {
        Start("pole-door-open", "door", DateTimeOffset.UnixEpoch);
        Read("door_open", 0);
        Read("door_open", 1);
        Read("door_open", 0);

        Assert.That(_recorder.Intents.Select(i => i.GetType().Name), Is.EqualTo(new[] { "RaiseAlarm", "ClearAlarm" }));
        Assert.That(_recorder.Of<RaiseAlarm>().Single().Message, Is.EqualTo("Cabinet door of dev-1 open"));
    }

    [Test]
    public void Pole_tilt_fires_after_a_minute_beyond_five_degrees_on_either_axis_and_ignores_a_sway()
    {
        Start("pole-tilt", "tilt", DateTimeOffset.UnixEpoch);
        Read("tilt_x", 0.3);
        Read("tilt_y", -5.6); // a gust
        Poll(3);
        Read("tilt_y", -0.4);
        Poll(10);
        Assert.That(_recorder.Intents, Is.Empty);

        Read("tilt_y", -7.25); // hit by a truck
        Poll(7);

        Assert.That(_recorder.Of<RaiseAlarm>().Single().Message, Is.EqualTo("Pole dev-1 leans 7.25 degrees from vertical"));
        Read("tilt_y", -4.8);
        Assert.That(_recorder.Of<ClearAlarm>(), Is.Empty, "within the hysteresis");
    }

    [Test]
    public void Energy_meter_communication_lost_fires_after_two_minutes_without_a_good_reading()
    {
        Start("pole-energy-meter-lost", "meter", DateTimeOffset.UnixEpoch);
        Heard("total_active_energy", 1234.5);
        _clock.Advance(TimeSpan.FromSeconds(119));
        _engine.Tick();
        Assert.That(_recorder.Intents, Is.Empty);

        _clock.Advance(TimeSpan.FromSeconds(1));
        _engine.Tick();
        Assert.That(_recorder.Of<RaiseAlarm>().Single().Alarm, Is.EqualTo("energy_meter_communication_lost"));

        Heard("total_active_energy", 1234.6);
        Assert.That(_recorder.Of<ClearAlarm>().Single().Alarm, Is.EqualTo("energy_meter_communication_lost"));
    }

    [Test]
    public void Reverse_flow_fires_when_the_reverse_total_grows()
    {
        Start("meter-reverse-flow", "meter", DateTimeOffset.UnixEpoch);
        var reverse = 12.345;
        for (var minute = 0; minute < 60; minute++)
        {
            if (minute >= 30)
                reverse += 0.002; // 2 L a minute: 120 L/h backwards
            Read("volume_reverse", reverse);
            _clock.Advance(TimeSpan.FromMinutes(1));
            _engine.Tick();
            if (minute < 30)
                Assert.That(_recorder.Intents, Is.Empty);
        }

        var raised = _recorder.Of<RaiseAlarm>().Single();
        Assert.That(raised.Alarm, Is.EqualTo("reverse_flow"));
        Assert.That(raised.At, Is.LessThan(DateTimeOffset.UnixEpoch.AddMinutes(32)), "at the first minute above 10 L/h");
    }

    [Test]
    public void Leak_fires_at_five_after_a_night_of_continuous_flow_and_not_after_a_night_with_a_pause()
    {
        Start("meter-leak", "meter", new DateTimeOffset(2026, 3, 2, 20, 0, 0, TimeSpan.Zero));
        // First night: the flow stops at 02:30 for 10 minutes. Second night: a dripping pipe never stops.
        for (var at = _clock.GetUtcNow(); at < new DateTimeOffset(2026, 3, 4, 6, 0, 0, TimeSpan.Zero); at = at.AddMinutes(1))
        {
            var pause = at.Day == 3 && at.Hour == 2 && at.Minute is >= 30 and < 40;
            Read("flow_rate", pause ? 0 : 0.012 + (0.001 * (at.Minute % 3)));
            _clock.Advance(TimeSpan.FromMinutes(1));
            _engine.Tick();
        }

        var raised = _recorder.Of<RaiseAlarm>().Single();
        Assert.That(raised.At, Is.EqualTo(new DateTimeOffset(2026, 3, 4, 5, 0, 0, TimeSpan.Zero)));
        Assert.That(raised.Message, Is.EqualTo("Suspected leak at dev-1: night flow never fell below 12 L/h"));
    }

    [Test]
    public void Tamper_fires_when_a_billing_total_goes_backwards()
    {
        Start("meter-tamper", "meter", DateTimeOffset.UnixEpoch);
        foreach (var total in new[] { 100.000, 100.250, 100.500 })
        {
            Read("volume_forward", total);
            Poll(6);
        }
        Assert.That(_recorder.Intents, Is.Empty);

        Read("volume_forward", 3.2);

        Assert.That(_recorder.Of<RaiseAlarm>().Single().Message, Is.EqualTo("Forward total of dev-1 went back from 100.5 to 3.2 m3"));
    }

    private void Start(string template, string device, DateTimeOffset start, RuleEngineOptions? options = null)
    {
        var set = RuleSetLoader.LoadFile(Path.Combine(Repository.RulesDirectory, template + ".yaml"), Repository.Catalog);
        _clock = new FakeTimeProvider(start);
        _recorder = new IntentRecorder();
        _engine = new RuleEngine(set, new DeviceBinding(new Dictionary<string, string> { [device] = "dev-1" }), options ?? new RuleEngineOptions(), _clock, _recorder);
    }

    private void Read(string point, double value) =>
        Assert.That(_engine.Update("dev-1", point, value, ReadingQuality.Good, _clock.GetUtcNow()), Is.True, $"a rule reads {point}");

    /// <summary>A reading of a point no rule reads, which still shows that the device answers.</summary>
    private void Heard(string point, double value) =>
        Assert.That(_engine.Update("dev-1", point, value, ReadingQuality.Good, _clock.GetUtcNow()), Is.False);

    /// <summary>Lets poll cycles of 10 s pass, ticking every second.</summary>
    private void Poll(int cycles)
    {
        for (var i = 0; i < cycles * 10; i++)
        {
            _clock.Advance(TimeSpan.FromSeconds(1));
            _engine.Tick();
        }
    }
}
