using CivicEdge.Gateway.EdgeRules;
using CivicEdge.Rules.Documents;

namespace CivicEdge.Gateway.Tests.EdgeRules;

[Category("Unit")]
public sealed class RuleSetBinderTests
{
    private static readonly RuleSet LampAndMeter = new("pole", 1, null,
        [new RuleDevice("lamp", "civicedge-slc1", null, null), new RuleDevice("meter", "eastron-sdm630", null, null), new RuleDevice("door", "gpio-door", "pole-9", null)],
        [], [], "pole.yaml");

    [Test]
    public void A_template_runs_once_per_lamp_with_the_one_meter_bound_in_each()
    {
        var bindings = RuleSetBinder.Bind(LampAndMeter,
            [new("lamp-1", "civicedge-slc1"), new("lamp-2", "CIVICEDGE-SLC1"), new("em-1", "eastron-sdm630")], out var problem);

        Assert.That(problem, Is.Null);
        Assert.That(bindings.Select(b => (b.CodeOf(LampAndMeter.Devices[0]), b.CodeOf(LampAndMeter.Devices[1]), b.CodeOf(LampAndMeter.Devices[2]))),
            Is.EqualTo(new[] { ("lamp-1", "em-1", "pole-9"), ("lamp-2", "em-1", "pole-9") }));
    }

    [Test]
    public void A_template_device_without_a_device_of_its_model_is_not_run_and_says_which()
    {
        var bindings = RuleSetBinder.Bind(LampAndMeter, [new("lamp-1", "civicedge-slc1")], out var problem);

        Assert.That(bindings, Is.Empty);
        Assert.That(problem, Is.EqualTo("rule set pole: device 'meter' (model eastron-sdm630) matches no device of this gateway; expected one, found devices of models civicedge-slc1"));
    }

    [Test]
    public void Two_template_devices_matching_several_devices_each_are_refused_as_ambiguous()
    {
        var bindings = RuleSetBinder.Bind(LampAndMeter,
            [new("lamp-1", "civicedge-slc1"), new("lamp-2", "civicedge-slc1"), new("em-1", "eastron-sdm630"), new("em-2", "eastron-sdm630")], out var problem);

        Assert.That(bindings, Is.Empty);
        Assert.That(problem, Does.Contain("'lamp' (civicedge-slc1: lamp-1, lamp-2) and 'meter' (eastron-sdm630: em-1, em-2) each match several devices"));
    }
}
