using CivicEdge.Rules.Language;

namespace CivicEdge.Rules.Tests.Language;

[Category("Unit")]
public sealed class ExpressionTypesTests
{
    /// <summary>Devices lamp (lamp_current, lamp_relay) and meter (flow_rate).</summary>
    private sealed class Scope : IExpressionScope
    {
        public string? CheckDevice(string device) => device is "lamp" or "meter" ? null : $"no device '{device}'";

        public string? CheckPoint(string device, string point) =>
            (device, point) is ("lamp", "lamp_current" or "lamp_relay") or ("meter", "flow_rate") ? null : $"no point '{point}' on {device}";
    }

    private static ExpressionType Check(string text) => ExpressionTypes.Check(ExpressionParser.Parse(text), new Scope());

    [TestCase("lamp.lamp_current * 2 + abs(-1)", ExpressionType.Number)]
    [TestCase("lamp.lamp_relay == 1 and lamp.lamp_current < 0.05", ExpressionType.Boolean)]
    [TestCase("avg(meter.flow_rate, 5m) > rate(meter.flow_rate, 1m)", ExpressionType.Boolean)]
    [TestCase("min(1, 2, lamp.lamp_current) + max(3, 4) + min_over(meter.flow_rate, 4h) + max_over(meter.flow_rate, 1h)", ExpressionType.Number)]
    [TestCase("since_change(lamp.lamp_relay) > 600 or is_stale(meter) or is_stale(\"lamp\") or daylight()", ExpressionType.Boolean)]
    [TestCase("lamp.lamp_relay and not daylight()", ExpressionType.Boolean)]
    public void Well_formed_expressions_have_the_expected_type(string text, ExpressionType type)
    {
        Assert.That(Check(text), Is.EqualTo(type));
    }

    [TestCase("lamp.watts > 1", 1, 1, "no point 'watts' on lamp")]
    [TestCase("pole.lamp_current > 1", 1, 1, "no device 'pole'")]
    [TestCase("lamp.lamp_current + 1 and daylight()", 1, 19, "expected a condition (true or false) for 'and'; found a number")]
    [TestCase("daylight() + 1", 1, 1, "expected a number for '+'; found a condition")]
    [TestCase("avg(meter.flow_rate, 5) > 1", 1, 22, "expected a window such as 30s, 5m or 1h as the second argument of avg; found a number")]
    [TestCase("avg(1, 5m) > 1", 1, 5, "expected device.point as the first argument of avg")]
    [TestCase("abs(1, 2)", 1, 1, "expected abs(x); found 2 argument(s)")]
    [TestCase("is_stale(lamp.lamp_current)", 1, 10, "expected a device name as the argument of is_stale")]
    [TestCase("sqrt(4)", 1, 1, "expected one of the functions abs(x)")]
    [TestCase("lamp > 1", 1, 1, "bare name 'lamp'")]
    [TestCase("'on' == lamp.lamp_relay", 1, 1, "expected numbers or conditions on both sides of '=='; found a string == a number")]
    [TestCase("5m > 1", 1, 1, "expected a number for '>'; found a duration")]
    public void A_misused_name_operator_or_function_is_refused_where_it_is(string text, int line, int column, string message)
    {
        var e = Assert.Throws<ExpressionSyntaxException>(() => Check(text));

        Assert.That(e.Position, Is.EqualTo(new SourcePosition(line, column)));
        Assert.That(e.Reason, Does.Contain(message));
    }

    [Test]
    public void A_number_that_is_not_a_point_is_not_a_condition()
    {
        var e = Assert.Throws<ExpressionSyntaxException>(() => ExpressionTypes.CheckCondition(ExpressionParser.Parse("lamp.lamp_current * 2"), new Scope()));

        Assert.That(e.Reason, Does.Contain("expected a condition (true or false) for 'when'; found a number"));
    }
}
