using System.Device.Gpio;
using CivicEdge.Gateway.Gpio.Simulation;

namespace CivicEdge.Gateway.Tests.Gpio;

[Category("Unit")]
public sealed class SimulatedGpioDriverTests
{
    private SimulatedGpioDriver _driver = null!;
    private GpioController _controller = null!;

    [SetUp]
    public void SetUp()
    {
        _driver = new SimulatedGpioDriver(pinCount: 8);
        _controller = new GpioController(_driver);
    }

    [TearDown]
    public void TearDown()
    {
        _controller.Dispose();
        _driver.Dispose();
    }

    [Test]
    public void Driving_an_input_raises_the_edge_callbacks_registered_for_that_edge()
    {
        _controller.OpenPin(3, PinMode.Input);
        var rising = new List<PinEventTypes>();
        var both = new List<PinEventTypes>();
        _controller.RegisterCallbackForPinValueChangedEvent(3, PinEventTypes.Rising, (_, e) => rising.Add(e.ChangeType));
        _controller.RegisterCallbackForPinValueChangedEvent(3, PinEventTypes.Rising | PinEventTypes.Falling, (_, e) => both.Add(e.ChangeType));

        _driver.Drive(3, PinValue.High);
        _driver.Drive(3, PinValue.High);
        _driver.Drive(3, PinValue.Low);

        Assert.That(rising, Is.EqualTo(new[] { PinEventTypes.Rising }));
        Assert.That(both, Is.EqualTo(new[] { PinEventTypes.Rising, PinEventTypes.Falling }), "driving the level it already has is no edge");
    }

    [TestCase(PinMode.InputPullUp, 1)]
    [TestCase(PinMode.InputPullDown, 0)]
    [TestCase(PinMode.Input, 0)]
    public void A_released_input_reads_what_its_pull_resistor_gives(PinMode mode, int level)
    {
        _controller.OpenPin(2, mode);
        _driver.Drive(2, level == 1 ? PinValue.Low : PinValue.High);

        _driver.Release(2);

        Assert.That(_controller.Read(2), Is.EqualTo((PinValue)level));
    }

    [Test]
    public void A_chip_without_pull_resistors_refuses_them_as_sysfs_does()
    {
        var sysfsLike = new GpioController(new SimulatedGpioDriver(supportsPullResistors: false));

        Assert.That(sysfsLike.IsPinModeSupported(1, PinMode.InputPullUp), Is.False);
        Assert.That(sysfsLike.IsPinModeSupported(1, PinMode.Input), Is.True);
        Assert.Throws<InvalidOperationException>(() => sysfsLike.OpenPin(1, PinMode.InputPullUp));
        sysfsLike.Dispose();
    }

    [Test]
    public void An_output_opened_with_a_level_starts_at_it_and_keeps_every_write()
    {
        _controller.OpenPin(5, PinMode.Output, PinValue.High);
        _controller.Write(5, PinValue.Low);
        _driver.Drive(5, PinValue.High);

        Assert.That(_driver.Writes(5), Is.EqualTo(new[] { PinValue.High, PinValue.Low }));
        Assert.That(_controller.Read(5), Is.EqualTo(PinValue.Low), "an output reads what it drives, whatever is driven from outside");
    }

    [Test]
    public async Task Waiting_for_an_edge_completes_on_the_next_one()
    {
        _controller.OpenPin(6, PinMode.InputPullDown);
        var waiting = _controller.WaitForEventAsync(6, PinEventTypes.Falling, TimeSpan.FromSeconds(20)).AsTask();

        _driver.Drive(6, PinValue.High);
        Assert.That(waiting.IsCompleted, Is.False, "a rising edge is not the falling one awaited");
        _driver.Release(6);
        var result = await waiting;

        Assert.That((result.TimedOut, result.EventTypes), Is.EqualTo((false, PinEventTypes.Falling)));
    }

    [Test]
    public void A_pin_the_chip_does_not_have_is_refused()
    {
        Assert.That(_controller.PinCount, Is.EqualTo(8));
        Assert.Throws<ArgumentOutOfRangeException>(() => _driver.Drive(8, PinValue.High));
    }
}
