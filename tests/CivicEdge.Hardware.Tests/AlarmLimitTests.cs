namespace CivicEdge.Hardware.Tests;

[Category("Unit")]
public sealed class AlarmLimitTests
{
    private static AlarmLimit Limit(AlarmKind kind, double value, double hysteresis = 0) =>
        new(kind, value, AlarmSeverity.Warning, hysteresis, TimeSpan.Zero, null);

    [TestCase(AlarmKind.High, 253.1, true)]
    [TestCase(AlarmKind.High, 253.0, false)]
    [TestCase(AlarmKind.HighHigh, 300.0, true)]
    [TestCase(AlarmKind.Low, 252.9, true)]
    [TestCase(AlarmKind.Low, 253.0, false)]
    [TestCase(AlarmKind.LowLow, 0.0, true)]
    public void A_value_is_beyond_a_limit_only_strictly_past_it(AlarmKind kind, double value, bool beyond) =>
        Assert.That(Limit(kind, 253).IsBeyond(value), Is.EqualTo(beyond));

    [TestCase(252.0, false)]
    [TestCase(251.0, true)]
    [TestCase(240.0, true)]
    public void A_high_alarm_clears_once_the_value_is_back_by_the_hysteresis(double value, bool clears)
    {
        var limit = Limit(AlarmKind.High, 253, hysteresis: 2);

        Assert.That((limit.ClearLevel, limit.IsBackInside(value)), Is.EqualTo((251.0, clears)));
    }

    [TestCase(208.0, false)]
    [TestCase(209.0, true)]
    public void A_low_alarm_clears_once_the_value_is_back_up_by_the_hysteresis(double value, bool clears) =>
        Assert.That(Limit(AlarmKind.Low, 207, hysteresis: 2).IsBackInside(value), Is.EqualTo(clears));

    [TestCase(0.0, false, true)]
    [TestCase(1.0, true, false)]
    [TestCase(3.0, true, false)]
    public void A_set_alarm_follows_whether_the_value_is_zero(double value, bool beyond, bool clears)
    {
        var limit = Limit(AlarmKind.Set, 0);

        Assert.That((limit.IsBeyond(value), limit.IsBackInside(value)), Is.EqualTo((beyond, clears)));
    }

    [TestCase(AlarmKind.High, "high")]
    [TestCase(AlarmKind.HighHigh, "highHigh")]
    [TestCase(AlarmKind.Low, "low")]
    [TestCase(AlarmKind.LowLow, "lowLow")]
    [TestCase(AlarmKind.Set, "set")]
    public void A_limit_is_named_as_in_profiles(AlarmKind kind, string name) =>
        Assert.That(Limit(kind, 1).Name, Is.EqualTo(name));
}
