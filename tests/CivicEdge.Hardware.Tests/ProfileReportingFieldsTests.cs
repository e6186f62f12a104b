namespace CivicEdge.Hardware.Tests;

/// <summary>The fields that decide when a point is reported and where: deadband, maxSilence, billing.</summary>
[Category("Unit")]
public sealed class ProfileReportingFieldsTests
{
    private const string Header = """
        schema: civicedge.profile/v1
        model: test-meter
        manufacturer: Test Instruments
        protocol: modbus
        pollInterval: 5s
        points:

        """;

    /// <summary>A profile whose one point starts on line 7, one field per line, after the minimal fields (lines 7-11).</summary>
    private static string WithPoint(params string[] extra) =>
        Header + string.Concat(new[] { "name: energy", "table: input", "address: 0", "type: float32", "unit: kWh" }.Concat(extra)
            .Select((f, i) => (i == 0 ? "  - " : "    ") + f + "\n"));

    private static ProfileError FailsWith(string text)
    {
        var error = Assert.Throws<ProfileException>(() => ProfileLoader.Parse(text, "meter.yaml"));
        return error.Errors.Single();
    }

    [Test]
    public void Without_the_new_fields_a_point_reports_every_change_never_forced_to_the_telemetry_stream()
    {
        var point = ProfileLoader.Parse(WithPoint(), "meter.yaml").Points.Single();

        Assert.That((point.Deadband, point.MaxSilence, point.Billing, point.Alarms.Count), Is.EqualTo((0.0, (TimeSpan?)null, false, 0)));
    }

    [Test]
    public void An_absolute_deadband_is_taken_in_the_points_unit()
    {
        var point = ProfileLoader.Parse(WithPoint("deadband: 0.25"), "meter.yaml").Points.Single();

        Assert.That(point.Deadband, Is.EqualTo(0.25));
    }

    [Test]
    public void A_percentage_deadband_is_resolved_against_the_range()
    {
        var point = ProfileLoader.Parse(WithPoint("min: 100", "max: 300", "deadband: 1.5%"), "meter.yaml").Points.Single();

        Assert.That(point.Deadband, Is.EqualTo(3.0).Within(1e-12));
    }

    [TestCase("deadband: -1", 12, "found '-1'")]
    [TestCase("deadband: wide", 12, "expected an amount of at least 0 in the point's unit (deadband: 0.5) or a percentage of its range max − min (deadband: 1%), below 100%; found 'wide'")]
    [TestCase("deadband: 100%", 12, "below 100%; found '100%'")]
    [TestCase("deadband: 2%", 12, "a percentage deadband is a share of the range max − min; expected min and max on the point, or an amount in kWh; found '2%'")]
    public void A_bad_deadband_is_reported_with_file_line_and_field(string field, int line, string message)
    {
        var error = FailsWith(WithPoint(field));

        Assert.That((error.File, error.Line, error.Field), Is.EqualTo(("meter.yaml", line, "points[0].deadband")));
        Assert.That(error.Message, Does.Contain(message));
    }

    [Test]
    public void A_points_max_silence_overrides_the_profiles()
    {
        var text = WithPoint("maxSilence: 1h") + "  - name: voltage\n    table: input\n    address: 2\n    type: float32\n    unit: V\n" + "maxSilence: 15m\n";

        var profile = ProfileLoader.Parse(text, "meter.yaml");

        Assert.That(profile.MaxSilence, Is.EqualTo(TimeSpan.FromMinutes(15)));
        Assert.That(profile.Points.Select(p => p.MaxSilence), Is.EqualTo(new TimeSpan?[] { TimeSpan.FromHours(1), TimeSpan.FromMinutes(15) }));
    }

    [Test]
    public void A_max_silence_shorter_than_the_poll_interval_is_refused()
    {
        var error = FailsWith(WithPoint("maxSilence: 2s"));

        Assert.That(error.ToString(), Is.EqualTo(
            "meter.yaml:12: points[0].maxSilence: expected at least the poll interval (5s): the device is read no more often than that, so a point cannot be reported more often either; found '2s'"));
    }

    [Test]
    public void A_profile_max_silence_that_is_no_duration_is_refused()
    {
        var error = FailsWith(WithPoint() + "maxSilence: often\n");

        Assert.That((error.Line, error.Field, error.Message), Is.EqualTo((12, "maxSilence",
            "expected a positive duration: a whole number followed by ms, s, m or h (e.g. 500ms, 5s, 1m, 1h); found 'often'")));
    }

    [Test]
    public void A_billing_register_is_marked()
    {
        var point = ProfileLoader.Parse(WithPoint("billing: true"), "meter.yaml").Points.Single();

        Assert.That(point.Billing, Is.True);
    }

    [Test]
    public void A_bit_cannot_be_a_billing_register()
    {
        var text = Header + "  - name: relay\n    table: coil\n    address: 0\n    unit: '1'\n    billing: true\n";

        var error = FailsWith(text);

        Assert.That((error.Line, error.Field), Is.EqualTo((11, "points[0].billing")));
        Assert.That(error.Message, Does.StartWith("a billing register holds a total (energy, volume, heat)"));
    }

    [Test]
    public void A_text_point_takes_no_reporting_fields()
    {
        var text = Header + "  - name: serial\n    table: holding\n    address: 0\n    type: string\n    length: 4\n    deadband: 1\n    billing: true\n";

        var error = Assert.Throws<ProfileException>(() => ProfileLoader.Parse(text, "meter.yaml"));

        Assert.That(error.Errors.Select(e => (e.Line, e.Field)), Is.EqualTo(new[] { (12, "points[0].deadband"), (13, "points[0].billing") }));
        Assert.That(error.Errors.Select(e => e.Message), Has.All.StartWith("applies only to numbers"));
    }
}
