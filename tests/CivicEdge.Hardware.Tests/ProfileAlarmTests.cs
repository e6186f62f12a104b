namespace CivicEdge.Hardware.Tests;

/// <summary>Alarm limits in profiles: how they are read, their defaults, and every way a limit can be wrong.</summary>
[Category("Unit")]
public sealed class ProfileAlarmTests
{
    private const string Header = """
        schema: civicedge.profile/v1
        model: test-meter
        manufacturer: Test Instruments
        protocol: modbus
        points:
          - name: voltage
            table: input
            address: 0
            type: float32
            unit: V
            min: 0
            max: 300
            alarms:

        """;

    /// <summary>A profile whose voltage point has the given alarm lines, the first on line 14.</summary>
    private static string WithAlarms(params string[] lines) => Header + string.Concat(lines.Select(l => "      " + l + "\n"));

    private static IReadOnlyList<ProfileError> Errors(string text) =>
        Assert.Throws<ProfileException>(() => ProfileLoader.Parse(text, "meter.yaml"))!.Errors;

    [Test]
    public void Every_limit_field_is_read()
    {
        var text = WithAlarms(
            "high: { value: 253, severity: major, hysteresis: 2, delay: 1m, message: Over-voltage }",
            "lowLow: { value: 195.5 }",
            "set: { severity: critical }");

        var alarms = ProfileLoader.Parse(text, "meter.yaml").Points.Single().Alarms;

        Assert.That(alarms, Is.EqualTo(new[]
        {
            new AlarmLimit(AlarmKind.High, 253, AlarmSeverity.Major, 2, TimeSpan.FromMinutes(1), "Over-voltage"),
            new AlarmLimit(AlarmKind.LowLow, 195.5, AlarmSeverity.Major, 0, TimeSpan.Zero, null),
            new AlarmLimit(AlarmKind.Set, 0, AlarmSeverity.Critical, 0, TimeSpan.Zero, null),
        }));
    }

    [TestCase("high", AlarmSeverity.Warning)]
    [TestCase("low", AlarmSeverity.Warning)]
    [TestCase("highHigh", AlarmSeverity.Major)]
    [TestCase("lowLow", AlarmSeverity.Major)]
    public void A_limit_without_a_severity_gets_the_default_of_its_kind(string kind, AlarmSeverity severity)
    {
        var alarms = ProfileLoader.Parse(WithAlarms($"{kind}: {{ value: 100 }}"), "meter.yaml").Points.Single().Alarms;

        Assert.That(alarms.Single().Severity, Is.EqualTo(severity));
    }

    [Test]
    public void Limits_may_be_written_as_block_mappings_and_kinds_in_any_case()
    {
        var alarms = ProfileLoader.Parse(WithAlarms("HIGHHIGH:", "  value: 264.5", "  severity: Critical"), "meter.yaml").Points.Single().Alarms;

        Assert.That(alarms.Single(), Is.EqualTo(new AlarmLimit(AlarmKind.HighHigh, 264.5, AlarmSeverity.Critical, 0, TimeSpan.Zero, null)));
    }

    [TestCase("hihgHigh: { value: 253 }", 14, "points[0].alarms.hihgHigh", "unknown limit kind; did you mean 'highHigh'?")]
    [TestCase("over: { value: 253 }", 14, "points[0].alarms.over", "unknown limit kind; expected one of high, highHigh, low, lowLow, set")]
    [TestCase("high: 253", 14, "points[0].alarms.high", "expected a mapping of limit fields (value, severity, hysteresis, delay, message); found '253'")]
    [TestCase("high: { severity: warning }", 14, "points[0].alarms.high.value", "missing; expected the limit in V")]
    [TestCase("high: { value: 310 }", 14, "points[0].alarms.high.value", "expected a limit within the point's range (min 0, max 300): a value outside it is out of range, and limits judge only good values; found '310'")]
    [TestCase("high: { value: 253, severity: urgent }", 14, "points[0].alarms.high.severity", "expected one of info, warning, major, critical; found 'urgent'")]
    [TestCase("high: { value: 253, hysteresis: -1 }", 14, "points[0].alarms.high.hysteresis", "expected an amount of at least 0 in V; found '-1'")]
    [TestCase("high: { value: 253, delay: soon }", 14, "points[0].alarms.high.delay", "expected how long the value must stay beyond the limit before the alarm is raised")]
    [TestCase("high: { value: 253, hysterisis: 2 }", 14, "points[0].alarms.high.hysterisis", "unknown field; did you mean 'hysteresis'?")]
    [TestCase("set: { value: 1 }", 14, "points[0].alarms.set.value", "a set alarm is raised while the value is not 0 and cleared when it is 0; it takes no value (leave it out)")]
    public void A_bad_limit_is_reported_with_file_line_and_field(string line, int at, string field, string message)
    {
        var error = Errors(WithAlarms(line)).Single();

        Assert.That((error.File, error.Line, error.Field), Is.EqualTo(("meter.yaml", at, field)));
        Assert.That(error.Message, Does.Contain(message));
    }

    [Test]
    public void Alarms_must_be_a_mapping_by_kind()
    {
        var text = Header.Replace("    alarms:\n", "    alarms: [253]\n", StringComparison.Ordinal);

        var error = Errors(text).Single();

        Assert.That(error.ToString(), Does.StartWith("meter.yaml:13: points[0].alarms: expected a mapping from limit kind (high, highHigh, low, lowLow, set) to limit"));
    }

    [Test]
    public void Limits_out_of_order_are_refused_naming_the_limit_they_cross()
    {
        var errors = Errors(WithAlarms("lowLow: { value: 210 }", "low: { value: 207 }", "high: { value: 253 }", "highHigh: { value: 250 }"));

        Assert.That(errors.Select(e => e.ToString()), Is.EqualTo(new[]
        {
            "meter.yaml:15: points[0].alarms.low.value: expected a limit above lowLow (210 V): limits rise lowLow < low < high < highHigh; found '207'",
            "meter.yaml:17: points[0].alarms.highHigh.value: expected a limit above high (253 V): limits rise lowLow < low < high < highHigh; found '250'",
        }));
    }

    [Test]
    public void A_hysteresis_that_reaches_past_the_other_sides_limit_is_refused()
    {
        var errors = Errors(WithAlarms("low: { value: 207, hysteresis: 50 }", "high: { value: 253, hysteresis: 46 }"));

        Assert.That(errors.Select(e => (e.Line, e.Field)), Is.EqualTo(new[]
        {
            (14, "points[0].alarms.low.hysteresis"),
            (15, "points[0].alarms.high.hysteresis"),
        }));
        Assert.That(errors[1].Message, Is.EqualTo(
            "expected less than 46 V, the distance down to low (207): the alarm would clear only once the value were beyond low; found '46'"));
    }

    [Test]
    public void A_text_point_takes_no_alarms()
    {
        const string Text = """
            schema: civicedge.profile/v1
            model: test-meter
            manufacturer: Test Instruments
            protocol: modbus
            points:
              - name: serial
                table: holding
                address: 0
                type: string
                length: 4
                alarms: { set: {} }
            """;

        var error = Errors(Text).Single();

        Assert.That((error.Line, error.Field), Is.EqualTo((11, "points[0].alarms")));
    }

    [Test]
    public void Every_problem_of_every_limit_is_reported_at_once()
    {
        var errors = Errors(WithAlarms("high: { value: x, severity: loud }", "low: { delay: 5 }"));

        Assert.That(errors.Select(e => e.Field), Is.EqualTo(new[]
        {
            "points[0].alarms.high.value", "points[0].alarms.high.severity", "points[0].alarms.low.value", "points[0].alarms.low.delay",
        }));
    }
}
