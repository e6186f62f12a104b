using CivicEdge.Hardware;
using CivicEdge.Rules.Documents;
using CivicEdge.Solar;
using CivicEdge.Rules.Tests.Support;

namespace CivicEdge.Rules.Tests.Documents;

[Category("Unit")]
public sealed class RuleSetLoaderTests
{
    private const string Header = """
        schema: civicedge.rules/v1
        id: test
        version: 3
        devices:
          lamp: { model: civicedge-slc1 }
          meter: { model: eastron-sdm630, id: em-0001, staleAfter: 90s }
        virtual:
          night_mode: 0
        rules:

        """; // rules start on line 10

    private static RuleSet Parse(string rules) => RuleSetLoader.Parse(Header + rules, "pole.yaml", Repository.Catalog);

    private static RuleError Refused(string rules)
    {
        var e = Assert.Throws<RuleSetException>(() => Parse(rules));
        Assert.That(e.Errors, Has.Count.EqualTo(1), e.Message);
        return e.Errors[0];
    }

    [Test]
    public void A_complete_rule_set_is_read_with_its_devices_virtual_points_triggers_and_actions()
    {
        var set = Parse("""
              - id: lamp-failure
                description: Relay on, no current
                when: lamp.lamp_relay == 1 and lamp.lamp_current < 0.05
                for: 30s
                clearFor: 5s
                hysteresis: 0.02
                deadband: 1
                then:
                  - raise: { alarm: lamp_failure, severity: major, message: "Lamp {device} draws {lamp.lamp_current} A" }
                  - write: { point: lamp.lamp_relay, value: 0 }
                  - publish: { event: lamp_switched_off, device: lamp }
                  - set: { point: night_mode, value: virtual.night_mode + 1 }
                else:
                  - clear: { alarm: other, device: meter }
              - id: dim-at-night
                trigger: { sun: dusk, offset: -15m }
                then:
                  - write: { point: lamp.dimming_level, value: 60 }
              - id: midnight
                trigger: { cron: "0 0 * * *" }
                when: is_stale(meter)
                then:
                  - publish: { event: meter_silent_at_midnight }
            """);

        Assert.That((set.Id, set.Version, set.SourceFile), Is.EqualTo(("test", 3, "pole.yaml")));
        Assert.That(set.Devices, Is.EqualTo(new[]
        {
            new RuleDevice("lamp", "civicedge-slc1", null, null),
            new RuleDevice("meter", "eastron-sdm630", "em-0001", TimeSpan.FromSeconds(90)),
        }));
        Assert.That(set.VirtualPoints, Is.EqualTo(new[] { new VirtualPoint("night_mode", 0) }));
        var failure = set.Rules[0];
        Assert.That((failure.Trigger, failure.For, failure.ClearFor, failure.Hysteresis, failure.Deadband),
            Is.EqualTo((ChangeTrigger.Instance, TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(5), 0.02, 1.0)));
        Assert.That(failure.Then.Select(a => a.GetType().Name), Is.EqualTo(new[] { "RaiseAlarmAction", "WritePointAction", "PublishEventAction", "SetVirtualPointAction" }));
        var raise = (RaiseAlarmAction)failure.Then[0];
        Assert.That((raise.Alarm, raise.Device, raise.Severity), Is.EqualTo(("lamp_failure", "lamp", AlarmSeverity.Major)), "the device comes from the condition");
        Assert.That(failure.Else.Single(), Is.EqualTo(new ClearAlarmAction("other", "meter")));
        Assert.That(set.Rules[1].Trigger, Is.EqualTo(new SunTrigger(SunEvent.CivilDusk, TimeSpan.FromMinutes(-15))));
        Assert.That(set.Rules[1].Condition, Is.Null);
        Assert.That(set.Rules[2].Trigger, Is.EqualTo(new CronTrigger("0 0 * * *")));
    }

    [TestCase("    when: lamp.watts > 1\n", 11, 11, "rules[0].when", "expected a point of model civicedge-slc1; found 'watts' (points: lamp_relay, dimming_level")]
    [TestCase("    when: \"lamp.lamp_current >\"\n", 11, 31, "rules[0].when", "expected a number, a device.point, a function call or '('; found the end of the expression")]
    [TestCase("    when: pole.lamp_current > 1\n", 11, 11, "rules[0].when", "expected a device declared under 'devices'; found 'pole' (declared: lamp, meter)")]
    [TestCase("    when: lamp.serial_number > 1\n", 11, 11, "rules[0].when", "expected a point with a numeric value; found 'serial_number', which is text")]
    [TestCase("    when: lamp.lamp_current > 1\n    for: 5 minutes\n", 12, 10, "rules[0].for", "expected a whole number followed by ms, s, m or h")]
    [TestCase("    when: lamp.lamp_current > 1\n    hysteresis: -1\n", 12, 17, "rules[0].hysteresis", "expected a number of at least 0; found -1")]
    [TestCase("    when: lamp.lamp_current > 1\n    priority: 1\n", 12, 5, "rules[0].priority", "expected one of the fields id, description, trigger, when")]
    [TestCase("    trigger: { cron: \"61 * * * *\" }\n", 11, 22, "rules[0].trigger.cron", "minute field '61': expected 0-59; found '61'")]
    [TestCase("    trigger: { sun: noon }\n", 11, 21, "rules[0].trigger.sun", "expected sunrise, sunset, dawn or dusk; found 'noon'")]
    [TestCase("    trigger: hourly\n", 11, 14, "rules[0].trigger", "expected 'change', { cron: \"0 1 * * *\" } or { sun: sunset, offset: 15m }; found 'hourly'")]
    public void A_bad_rule_is_refused_with_file_line_column_and_field(string rule, int line, int column, string field, string message)
    {
        var error = Refused($"  - id: r\n{rule}    then:\n      - publish: {{ event: e }}\n");

        Assert.That((error.File, error.Line, error.Column, error.Field), Is.EqualTo(("pole.yaml", line, column, field)), error.ToString());
        Assert.That(error.Message, Does.Contain(message));
        Assert.That(error.ToString(), Does.StartWith($"pole.yaml:{line}:{column}: {field}: "));
    }

    [Test]
    public void Writing_a_point_the_profile_marks_read_only_is_refused()
    {
        var error = Refused("""
              - id: r
                when: lamp.lamp_current > 1
                then:
                  - write: { point: lamp.lamp_current, value: 0 }
            """);

        Assert.That((error.Line, error.Field), Is.EqualTo((13, "rules[0].then[0].write.point")));
        Assert.That(error.Message, Is.EqualTo("expected a point that model civicedge-slc1 marks writable; found 'lamp_current', which is read-only"));
    }

    [Test]
    public void An_alarm_on_a_rule_reading_several_devices_must_name_its_device()
    {
        var error = Refused("""
              - id: r
                when: lamp.lamp_current > 1 and meter.frequency < 49
                then:
                  - raise: { alarm: a }
            """);

        Assert.That(error.Field, Is.EqualTo("rules[0].then[0].raise.device"));
        Assert.That(error.Message, Does.Contain("the condition reads several (lamp, meter)"));
    }

    [Test]
    public void A_placeholder_that_is_not_an_expression_is_refused_at_its_column()
    {
        var error = Refused("""
              - id: r
                when: lamp.lamp_current > 1
                then:
                  - raise: { alarm: a, message: "Lamp draws {lamp.current} A" }
            """);

        Assert.That((error.Line, error.Column, error.Field), Is.EqualTo((13, 50, "rules[0].then[0].raise.message")));
        Assert.That(error.Message, Does.Contain("placeholder {lamp.current}: expected a point of model civicedge-slc1; found 'current'"));
    }

    [Test]
    public void Setting_an_undeclared_virtual_point_is_refused()
    {
        var error = Refused("""
              - id: r
                when: lamp.lamp_current > 1
                then:
                  - set: { point: day_mode, value: 1 }
            """);

        Assert.That(error.Message, Is.EqualTo("expected a virtual point declared under 'virtual'; found 'day_mode' (declared: night_mode)"));
    }

    [Test]
    public void Every_problem_is_reported_at_once_in_line_order()
    {
        var e = Assert.Throws<RuleSetException>(() => RuleSetLoader.Parse("""
            schema: civicedge.rules/v1
            id: test
            version: 0
            devices:
              lamp: { model: civicedge-slc9 }
            rules:
              - id: a
                when: lamp.lamp_current >
                then: []
              - id: a
                when: daylight()
                then:
                  - shout: { message: hi }
            """, "pole.yaml", Repository.Catalog));

        Assert.That(e.Errors.Select(x => (x.Line, x.Field)), Is.EqualTo(new[]
        {
            (3, "version"), (5, "devices.lamp.model"), (8, "rules[0].when"), (10, "rules[1].id"), (13, "rules[1].then[0]"),
        }), e.Message);
        Assert.That(e.Errors[1].Message, Does.StartWith("expected a known model (").And.Contains(" civicedge-slc1, ").And.Contains(", eastron-sdm630, ").And.EndsWith("found 'civicedge-slc9'"));
        Assert.That(e.Message, Does.StartWith("Invalid rule set (5 errors):"));
    }

    [TestCase("schema: civicedge.rules/v2\nid: x\nversion: 1\nrules: []\n", 1, "schema", "expected civicedge.rules/v1; found 'civicedge.rules/v2'")]
    [TestCase("schema: civicedge.rules/v1\nid: x\nversion: 1\nrules: [\n", 5, "", "not valid YAML")]
    [TestCase("- a\n- b\n", 1, "", "expected one YAML mapping that starts with 'schema: civicedge.rules/v1'")]
    public void A_file_that_is_not_a_rule_set_is_refused(string yaml, int line, string field, string message)
    {
        var e = Assert.Throws<RuleSetException>(() => RuleSetLoader.Parse(yaml, "x.yaml", Repository.Catalog));

        Assert.That((e.Errors[0].Line, e.Errors[0].Field), Is.EqualTo((line, field)), e.Message);
        Assert.That(e.Errors[0].Message, Does.Contain(message));
    }

    [Test]
    public void The_example_in_the_readme_is_a_valid_rule_set()
    {
        var readme = File.ReadAllText(Path.Combine(Repository.ProfilesDirectory, "..", "..", "README.md"));
        var start = readme.IndexOf("```yaml\nschema: civicedge.rules/v1", StringComparison.Ordinal);
        Assert.That(start, Is.GreaterThan(0), "the README shows a rule set");
        var body = readme[(start + "```yaml\n".Length)..];

        var set = RuleSetLoader.Parse(body[..body.IndexOf("```", StringComparison.Ordinal)], "README.md", Repository.Catalog);

        Assert.That(set.Rules.Select(r => r.Id), Is.EqualTo(new[] { "lamp-failure", "evening", "after-midnight" }));
    }
}
