using System.Device.Gpio;
using CivicEdge.Fleet.Contracts;
using CivicEdge.Gateway.Configuration;
using CivicEdge.Gateway.Tests.Support;

namespace CivicEdge.Gateway.Tests.Gpio;

[Category("Unit")]
public sealed class GpioOutputsTests
{
    private const int LampPin = 22;
    private const int FanPin = 23;

    private TempDirectory _directory = null!;
    private GpioRig _rig = null!;

    [SetUp]
    public void SetUp()
    {
        _directory = new TempDirectory();
        _rig = new GpioRig(_directory.File("gateway.db"));
    }

    [TearDown]
    public void TearDown()
    {
        _rig.Dispose();
        _directory.Dispose();
    }

    [Test]
    public async Task At_start_up_every_output_is_put_in_its_safe_state_without_passing_through_another_and_reported()
    {
        var outputs = _rig.Outputs(Options());

        await outputs.StartAsync(CancellationToken.None);

        Assert.That(_rig.Driver.Writes(LampPin), Is.EqualTo(new[] { PinValue.High }), "lamp relay on, straight away");
        Assert.That(_rig.Driver.Writes(FanPin), Is.EqualTo(new[] { PinValue.High }), "active-low fan relay off: high");
        var pwm = _rig.Hardware.Pwm(0, 1);
        Assert.That((pwm.IsRunning, pwm.Frequency, pwm.DutyCycles), Is.EqualTo((true, 500, new[] { 1.0 })));
        Assert.That(_rig.TakeReadings().Select(r => (r.DeviceId, r.Points.Single())), Is.EqualTo(new[]
        {
            ("pole-0001", new PointValue("lamp_relay", 1, "1", "switch_state", Quality.Good)),
            ("cab-0001", new PointValue("fan_relay", 0, "1", "switch_state", Quality.Good)),
            ("pole-0001", new PointValue("lamp_dimming", 100, "%", "dimming_level", Quality.Good)),
        }));
        await outputs.StopAsync(CancellationToken.None);
    }

    [Test]
    public async Task A_relay_is_switched_by_name_honouring_its_polarity_and_the_change_is_reported()
    {
        var outputs = _rig.Outputs(Options());
        await outputs.StartAsync(CancellationToken.None);
        _rig.TakeReadings();

        var lamp = await outputs.SetAsync("lamp_relay", 0, CancellationToken.None);
        var fan = await outputs.SwitchAsync("fan_relay", on: true, CancellationToken.None);

        Assert.That((_rig.Driver.Level(LampPin), _rig.Driver.Level(FanPin)), Is.EqualTo((PinValue.Low, PinValue.Low)));
        Assert.That((lamp.Value, fan.Value), Is.EqualTo((0.0, 1.0)));
        Assert.That(_rig.TakeReadings().Select(r => (r.Points.Single().Name, r.Points.Single().Value)),
            Is.EqualTo(new[] { ("lamp_relay", 0.0), ("fan_relay", 1.0) }));
        Assert.That(outputs.State("fan_relay"), Is.EqualTo(fan));
        await outputs.StopAsync(CancellationToken.None);
    }

    [TestCase(40, 40, 0.60)]
    [TestCase(5, 10, 0.90)]
    [TestCase(0, 10, 0.90)]
    [TestCase(95, 80, 0.20)]
    public async Task A_dimming_level_is_clamped_to_the_dimmers_range_and_inverted_into_a_duty_cycle(double asked, double applied, double duty)
    {
        var outputs = _rig.Outputs(Options(min: 10, max: 80, invert: true, safeLevel: 80));
        await outputs.StartAsync(CancellationToken.None);

        var state = await outputs.SetAsync("lamp_dimming", asked, CancellationToken.None);

        Assert.That((state.Value, state.Requested, state.Unit), Is.EqualTo((applied, asked, "%")));
        Assert.That(_rig.Hardware.Pwm(0, 1).DutyCycle, Is.EqualTo(duty).Within(1e-12));
        await outputs.StopAsync(CancellationToken.None);
    }

    [Test]
    public async Task An_unknown_output_is_refused_with_the_names_there_are()
    {
        var outputs = _rig.Outputs(Options());
        await outputs.StartAsync(CancellationToken.None);

        var unknown = await Assert.ThrowsAsync<KeyNotFoundException>(async () => await outputs.SetAsync("lamp", 1, CancellationToken.None));
        var notADimmer = await Assert.ThrowsAsync<KeyNotFoundException>(async () => await outputs.DimAsync("lamp_relay", 50, CancellationToken.None));

        Assert.That(unknown!.Message, Is.EqualTo("No GPIO output is named 'lamp'; expected one of lamp_relay (relay), fan_relay (relay), lamp_dimming (dimmer)."));
        Assert.That(notADimmer!.Message, Is.EqualTo("No dimmer is named 'lamp_relay'; expected one of lamp_dimming (dimmer)."));
        await outputs.StopAsync(CancellationToken.None);
    }

    [TestCase("lamp_dimming", 100.5, "GPIO output 'lamp_dimming' is a dimmer; expected a level 0..100 %, found 100.5.")]
    [TestCase("lamp_dimming", -1, "GPIO output 'lamp_dimming' is a dimmer; expected a level 0..100 %, found -1.")]
    [TestCase("lamp_dimming", double.NaN, "GPIO output 'lamp_dimming' is a dimmer; expected a level 0..100 %, found NaN.")]
    [TestCase("lamp_relay", 0.5, "GPIO output 'lamp_relay' is a relay; expected 0 (off) or 1 (on), found 0.5.")]
    public async Task A_value_the_output_cannot_take_is_refused_and_changes_nothing(string name, double value, string message)
    {
        var outputs = _rig.Outputs(Options());
        await outputs.StartAsync(CancellationToken.None);
        var before = outputs.States;

        var refused = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await outputs.SetAsync(name, value, CancellationToken.None));

        Assert.That(refused!.Message, Does.StartWith(message));
        Assert.That(outputs.States, Is.EqualTo(before));
        Assert.That(_rig.Hardware.Pwm(0, 1).DutyCycles, Has.Count.EqualTo(1));
        await outputs.StopAsync(CancellationToken.None);
    }

    [Test]
    public async Task On_shutdown_every_output_returns_to_its_safe_state_and_the_dimmer_keeps_running_there()
    {
        var outputs = _rig.Outputs(Options());
        await outputs.StartAsync(CancellationToken.None);
        await outputs.SetAsync("lamp_relay", 0, CancellationToken.None);
        await outputs.SetAsync("fan_relay", 1, CancellationToken.None);
        await outputs.SetAsync("lamp_dimming", 30, CancellationToken.None);
        _rig.TakeReadings();

        await outputs.StopAsync(CancellationToken.None);

        Assert.That((_rig.Driver.Level(LampPin), _rig.Driver.Level(FanPin)), Is.EqualTo((PinValue.High, PinValue.High)));
        var pwm = _rig.Hardware.Pwm(0, 1);
        Assert.That((pwm.DutyCycle, pwm.IsRunning, pwm.IsDisposed), Is.EqualTo((1.0, true, false)));
        Assert.That(_rig.TakeReadings().Select(r => (r.Points.Single().Name, r.Points.Single().Value)),
            Is.EqualTo(new[] { ("lamp_relay", 1.0), ("fan_relay", 0.0), ("lamp_dimming", 100.0) }));
        var late = await Assert.ThrowsAsync<InvalidOperationException>(async () => await outputs.SetAsync("lamp_relay", 0, CancellationToken.None));
        Assert.That(late!.Message, Does.Contain("not running"));
    }

    [Test]
    public async Task An_output_cannot_be_set_before_start_up()
    {
        var outputs = _rig.Outputs(Options());

        await Assert.ThrowsAsync<InvalidOperationException>(async () => await outputs.SetAsync("lamp_relay", 1, CancellationToken.None));
        Assert.That(_rig.Driver.Mode(LampPin), Is.Null, "nothing opened");
    }

    private static GpioOptions Options(double min = 0, double max = 100, bool invert = false, double safeLevel = 100) => new()
    {
        Driver = "simulated",
        Relays =
        {
            new RelayOptions { Name = "lamp_relay", DeviceId = "pole-0001", Pin = LampPin, SafeState = "on" },
            new RelayOptions { Name = "fan_relay", DeviceId = "cab-0001", Pin = FanPin, ActiveLow = true },
        },
        Dimmers =
        {
            new DimmerOptions
            {
                Name = "lamp_dimming",
                DeviceId = "pole-0001",
                PwmChip = 0,
                PwmChannel = 1,
                Frequency = 500,
                Min = min,
                Max = max,
                Invert = invert,
                SafeLevel = safeLevel,
            },
        },
    };
}
