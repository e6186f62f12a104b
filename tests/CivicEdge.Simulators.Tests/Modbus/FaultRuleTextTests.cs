using CivicEdge.Modbus;
using CivicEdge.Protocols.Modbus;
using CivicEdge.Simulators.Modbus;

namespace CivicEdge.Simulators.Tests.Modbus;

[Category("Unit")]
public sealed class FaultRuleTextTests
{
    [Test]
    public void A_kind_with_a_probability_parses()
    {
        Assert.That(FaultRuleText.TryParse("no-answer:0.1", out var rule, out _), Is.True);
        Assert.That(rule, Is.EqualTo(new ModbusFaultRule { Kind = ModbusFaultKind.NoAnswer, Probability = 0.1 }));
    }

    [Test]
    public void An_exception_code_a_count_and_a_unit_parse()
    {
        Assert.That(FaultRuleText.TryParse("exception=2:x3@7", out var rule, out _), Is.True);
        Assert.That(rule, Is.EqualTo(new ModbusFaultRule { Kind = ModbusFaultKind.Exception, ExceptionCode = ModbusExceptionCode.IllegalDataAddress, Count = 3, Unit = 7 }));
    }

    [Test]
    public void A_late_answer_takes_a_duration_and_garbage_a_length()
    {
        Assert.That(FaultRuleText.TryParse("late=1500ms", out var late, out _), Is.True);
        Assert.That(FaultRuleText.TryParse("garbage=9:0.2", out var garbage, out _), Is.True);
        Assert.That(late!.Delay, Is.EqualTo(TimeSpan.FromMilliseconds(1500)));
        Assert.That((garbage!.GarbageLength, garbage.Probability), Is.EqualTo((9, 0.2)));
    }

    [TestCase("bogus", "expected a fault kind")]
    [TestCase("no-answer:1.5", "expected a probability 0..1 or xN")]
    [TestCase("no-answer:x0", "expected xN with N of at least 1")]
    [TestCase("exception=0", "expected exception=CODE with a code 1..127")]
    [TestCase("exception", "expected exception=CODE")]
    [TestCase("late=soon", "late: expected late=DURATION")]
    [TestCase("crc-error=3", "crc-error: expected no '=' argument")]
    [TestCase("wrong-unit@300", "expected a unit 0..255 after '@'")]
    public void A_bad_rule_says_what_was_expected_and_what_was_found(string text, string expected)
    {
        Assert.That(FaultRuleText.TryParse(text, out _, out var error), Is.False);
        Assert.That(error, Does.Contain(expected).And.Contain($"'{text}'"));
    }
}
