using CivicEdge.Simulators.Firmware;

namespace CivicEdge.Simulators.Tests.Firmware;

[Category("Unit")]
public sealed class DeviceScriptTests
{
    private static readonly string[] Actions = ["flow", "reverse", "magnet", "cable"];

    [Test]
    public void Steps_are_read_with_their_time_action_argument_and_devices_and_put_in_time_order()
    {
        bool parsed = DeviceScript.TryParse("1m magnet on @3-5; 0s flow 600; 30s reverse 120 @2", 10, Actions, out var script, out var error);

        Assert.Multiple(() =>
        {
            Assert.That(parsed, Is.True, error);
            Assert.That(script!.Steps, Is.EqualTo(new[]
            {
                new ScriptStep(TimeSpan.Zero, "flow", "600", 1, 10),
                new ScriptStep(TimeSpan.FromSeconds(30), "reverse", "120", 2, 2),
                new ScriptStep(TimeSpan.FromMinutes(1), "magnet", "on", 3, 5),
            }));
        });
    }

    [TestCase("soon flow 600", "step 1 'soon flow 600': expected a time after start")]
    [TestCase("0s flow 600; 5s tilt 3", "step 2 '5s tilt 3': expected an action, one of flow, reverse, magnet, cable; found 'tilt'")]
    [TestCase("0s flow 600 @11", "step 1 '0s flow 600 @11': expected @N or @N-M with devices 1..10; found '@11'")]
    [TestCase("0s", "step 1 '0s': expected TIME ACTION [ARGUMENT] [@DEVICES]")]
    public void A_step_that_does_not_parse_is_refused_saying_which_and_what_was_expected(string text, string expected)
    {
        bool parsed = DeviceScript.TryParse(text, 10, Actions, out _, out var error);

        Assert.Multiple(() =>
        {
            Assert.That(parsed, Is.False);
            Assert.That(error, Does.StartWith(expected));
        });
    }

    [Test]
    public void A_bus_applies_a_step_at_its_time_to_the_devices_it_names_only()
    {
        var start = new DateTimeOffset(2026, 11, 29, 0, 0, 0, TimeSpan.Zero);
        DeviceScript.TryParse("10s flow 3600 @2", 3, Actions, out var script, out _);
        var devices = Enumerable.Range(0, 3).Select(_ => new MeterNodeDevice(start)).ToList();
        var bus = new FirmwareBus(devices, firstUnit: 5, script!, start);

        bus.Update(start.AddSeconds(5));
        double before = devices[1].FlowLitresPerHour;
        bus.Update(start.AddSeconds(20));

        Assert.Multiple(() =>
        {
            Assert.That(before, Is.Zero);
            Assert.That(devices.Select(d => d.FlowLitresPerHour), Is.EqualTo(new[] { 0, 3600.0, 0 }));
            Assert.That(devices[1].Node.State.ForwardPulses, Is.InRange(9, 10));
            Assert.That(bus.Units().Keys, Is.EquivalentTo(new byte[] { 5, 6, 7 }));
        });
    }
}
