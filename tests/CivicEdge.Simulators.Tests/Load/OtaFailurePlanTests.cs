using CivicEdge.Simulators.Load;

namespace CivicEdge.Simulators.Tests.Load;

[TestFixture]
[Category("Unit")]
public sealed class OtaFailurePlanTests
{
    private static readonly string[] Devices = [.. Enumerable.Range(1, 10_000).Select(n => $"gw-load-{n / 50:D5}-m{n % 50:D3}")];

    [Test]
    public void The_same_seed_chooses_the_same_devices_whatever_order_they_are_asked_in()
    {
        var first = new OtaFailurePlan(7, 0.03, Devices).Chosen(Devices);
        var again = new OtaFailurePlan(7, 0.03, Devices.Reverse()).Chosen(Devices.Reverse());

        Assert.That(again, Is.EquivalentTo(first));
    }

    [Test]
    public void Another_seed_chooses_other_devices_in_exactly_the_same_share()
    {
        var seven = new OtaFailurePlan(7, 0.03, Devices).Chosen(Devices);
        var eight = new OtaFailurePlan(8, 0.03, Devices).Chosen(Devices);

        Assert.That(eight, Is.Not.EquivalentTo(seven));
        Assert.That(seven, Has.Count.EqualTo(300), "3 % of 10,000 devices");
        Assert.That(eight, Has.Count.EqualTo(300));
    }

    [Test]
    public void The_share_is_rounded_to_the_nearest_device()
    {
        var twoHundred = Devices.Take(200).ToList();
        var sixtyOne = Devices.Take(61).ToList();

        Assert.That(new OtaFailurePlan(7, 0.03, twoHundred).Chosen(twoHundred), Has.Count.EqualTo(6));
        Assert.That(new OtaFailurePlan(7, 0.03, sixtyOne).Chosen(sixtyOne), Has.Count.EqualTo(2), "1.83 devices");
    }

    [Test]
    public void A_rate_of_zero_chooses_none_and_a_rate_of_one_every_device()
    {
        Assert.That(new OtaFailurePlan(1, 0, Devices).Chosen(Devices), Is.Empty);
        Assert.That(new OtaFailurePlan(1, 1, Devices).Chosen(Devices), Has.Count.EqualTo(Devices.Length));
    }

    [Test]
    public void A_rate_outside_zero_to_one_is_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => _ = new OtaFailurePlan(1, 1.5, Devices));
        Assert.Throws<ArgumentOutOfRangeException>(() => _ = new OtaFailurePlan(1, -0.1, Devices));
    }
}
