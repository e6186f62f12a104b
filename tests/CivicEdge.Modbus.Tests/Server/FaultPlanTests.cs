using CivicEdge.Protocols.Modbus;

namespace CivicEdge.Modbus.Tests.Server;

[Category("Unit")]
public sealed class FaultPlanTests
{
    [Test]
    public void A_rule_limited_to_N_requests_hits_the_next_N_and_then_retires()
    {
        var plan = new FaultPlan(new Random(1), [new ModbusFaultRule { Kind = ModbusFaultKind.NoAnswer, Count = 2 }]);

        var draws = Enumerable.Range(0, 4).Select(_ => plan.Draw(1)?.Kind).ToArray();

        Assert.That(draws, Is.EqualTo(new ModbusFaultKind?[] { ModbusFaultKind.NoAnswer, ModbusFaultKind.NoAnswer, null, null }));
        Assert.That(plan.Rules, Is.Empty);
        Assert.That(plan.Injected(ModbusFaultKind.NoAnswer), Is.EqualTo(2));
    }

    [Test]
    public void A_probability_hits_about_that_share_of_requests()
    {
        var plan = new FaultPlan(new Random(42), [new ModbusFaultRule { Kind = ModbusFaultKind.Garbage, Probability = 0.25 }]);

        var hits = Enumerable.Range(0, 4000).Count(_ => plan.Draw(1) is not null);

        Assert.That(hits, Is.InRange(800, 1200));
    }

    [Test]
    public void Rules_are_tried_in_order_and_a_unit_rule_spares_other_units()
    {
        var plan = new FaultPlan(new Random(1),
        [
            new ModbusFaultRule { Kind = ModbusFaultKind.WrongUnit, Unit = 2 },
            new ModbusFaultRule { Kind = ModbusFaultKind.SecondAnswer },
        ]);

        Assert.That(plan.Draw(2)?.Kind, Is.EqualTo(ModbusFaultKind.WrongUnit));
        Assert.That(plan.Draw(3)?.Kind, Is.EqualTo(ModbusFaultKind.SecondAnswer));
    }

    [Test]
    public void Clear_of_one_unit_keeps_the_rules_of_the_others()
    {
        var plan = new FaultPlan(rules:
        [
            new ModbusFaultRule { Kind = ModbusFaultKind.WrongUnit, Unit = 2 },
            new ModbusFaultRule { Kind = ModbusFaultKind.NoAnswer, Unit = 3 },
        ]);

        plan.Clear(2);

        Assert.That(plan.Rules.Select(r => r.Unit), Is.EqualTo(new byte?[] { 3 }));
    }

    [TestCase(1.5, 1, ModbusExceptionCode.ServerDeviceBusy, "probability")]
    [TestCase(0.5, 0, ModbusExceptionCode.ServerDeviceBusy, "count")]
    [TestCase(0.5, 1, ModbusExceptionCode.None, "exception code")]
    public void A_rule_out_of_range_is_refused_naming_the_field(double probability, int count, ModbusExceptionCode code, string field)
    {
        var plan = new FaultPlan();
        var rule = new ModbusFaultRule { Kind = ModbusFaultKind.Exception, Probability = probability, Count = count, ExceptionCode = code };

        Assert.That(() => plan.Add(rule), Throws.ArgumentException.With.Message.Contains(field));
    }
}
