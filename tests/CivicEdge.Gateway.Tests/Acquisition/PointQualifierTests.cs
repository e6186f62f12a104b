using CivicEdge.Fleet.Contracts;
using CivicEdge.Gateway.Acquisition;

namespace CivicEdge.Gateway.Tests.Acquisition;

[Category("Unit")]
public sealed class PointQualifierTests
{
    private static PointValue Value(string name, double value, Quality quality = Quality.Good) => new(name, value, "V", "voltage", quality);

    [Test]
    public void A_point_read_keeps_its_value_and_quality()
    {
        var qualifier = new PointQualifier(2);

        var qualified = qualifier.Qualify(answered: true, [Value("a", 1), Value("b", 400, Quality.OutOfRange)]);

        Assert.That(qualified, Is.EqualTo(new[] { Value("a", 1), Value("b", 400, Quality.OutOfRange) }));
    }

    [Test]
    public void A_point_not_read_while_the_device_answers_is_stale_with_its_last_value()
    {
        var qualifier = new PointQualifier(2);
        qualifier.Qualify(answered: true, [Value("a", 1), Value("b", 2)]);

        var qualified = qualifier.Qualify(answered: true, [Value("a", 3), null]);

        Assert.That(qualified, Is.EqualTo(new[] { Value("a", 3), Value("b", 2, Quality.Stale) }));
    }

    [Test]
    public void When_the_device_does_not_answer_every_point_it_had_is_comm_error_with_its_last_value()
    {
        var qualifier = new PointQualifier(3);
        qualifier.Qualify(answered: true, [Value("a", 1), Value("b", 2), null]);
        qualifier.Qualify(answered: true, [Value("a", 5), null, null]);

        var qualified = qualifier.Qualify(answered: false, [null, null, null]);

        Assert.That(qualified, Is.EqualTo(new PointValue?[] { Value("a", 5, Quality.CommError), Value("b", 2, Quality.CommError), null }),
            "the last value read, and nothing for a point never read");
    }

    [Test]
    public void The_count_of_values_must_match_the_profile()
    {
        var qualifier = new PointQualifier(2);

        Assert.That(() => qualifier.Qualify(true, [Value("a", 1)]), Throws.ArgumentException.With.Message.Contains("Expected 2 values"));
    }
}
