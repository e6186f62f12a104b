using System.Device.Gpio;
using CivicEdge.Gateway.Configuration;
using CivicEdge.Gateway.Gpio;
using CivicEdge.Gateway.Gpio.Simulation;
using CivicEdge.Gateway.Hosting;
using CivicEdge.Gateway.Tests.Support;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using static CivicEdge.Gateway.Tests.Support.GatewayConfigurations;

namespace CivicEdge.Gateway.Tests.Configuration;

[Category("Unit")]
public sealed class GpioOptionsValidationTests
{
    private TempDirectory _directory = null!;
    private string _profiles = null!;
    private string _data = null!;

    [SetUp]
    public void SetUp()
    {
        _directory = new TempDirectory();
        _profiles = TestProfiles.WriteMeter(_directory);
        _data = _directory.File("gateway.db");
    }

    [TearDown]
    public void TearDown() => _directory.Dispose();

    [Test]
    public void A_full_gpio_section_passes_and_unset_keys_take_their_defaults()
    {
        var settings = WithGpio();
        Assert.That(Problems(settings), Is.Empty);

        using var provider = Services(settings).BuildServiceProvider();
        var gpio = provider.GetRequiredService<IOptions<GpioOptions>>().Value;

        Assert.That((gpio.Driver, gpio.Chip, gpio.CommitInterval), Is.EqualTo(("simulated", 0, TimeSpan.FromSeconds(1))));
        var door = gpio.Doors.Single();
        Assert.That((door.Name, door.DeviceId, door.Pin, door.ActiveLow, door.Pull, door.Debounce, door.Severity, door.Point),
            Is.EqualTo(("cabinet_door", "pole-0001", (int?)4, false, "up", TimeSpan.FromMilliseconds(50), "major", "door_open")));
        var meter = gpio.PulseCounters.Single();
        Assert.That((meter.Pin, meter.ActiveLow, meter.Pull, meter.LitresPerPulse, meter.MinPulseWidth, meter.StartTotal, meter.ReportInterval),
            Is.EqualTo(((int?)17, true, "up", 10.0, TimeSpan.FromMilliseconds(20), 0.0, TimeSpan.FromMinutes(1))));
        Assert.That((meter.TotalPoint, meter.FlowPoint, meter.NoFlowAfter), Is.EqualTo(("volume", "flow_rate", TimeSpan.FromMinutes(15))));
        var relay = gpio.Relays.Single();
        Assert.That((relay.Name, relay.Pin, relay.ActiveLow, relay.SafeState), Is.EqualTo(("lamp_relay", (int?)22, false, "off")));
        var dimmer = gpio.Dimmers.Single();
        Assert.That((dimmer.PwmChip, dimmer.PwmChannel, dimmer.Frequency, dimmer.Invert, dimmer.Min, dimmer.Max, dimmer.SafeLevel),
            Is.EqualTo((0, 0, 1000, false, 0.0, 100.0, 100.0)));
    }

    [TestCase("Gpio:Driver", "gpiod", "Gpio:Driver is 'gpiod'; expected libgpiod, libgpiod2, sysfs or simulated.")]
    [TestCase("Gpio:Chip", "-1", "Gpio:Chip is -1; expected the number N of /dev/gpiochipN, 0 or more.")]
    [TestCase("Gpio:CommitInterval", "2m", "Gpio:CommitInterval is 00:02:00; expected 0 (every pulse) up to 00:01:00, such as 1s.")]
    [TestCase("Gpio:Doors:0:Pin", null, "Gpio:Doors:0:Pin is missing; expected the pin's line offset on the chip (libgpiod) or its GPIO number (sysfs).")]
    [TestCase("Gpio:Doors:0:Pin", "17", "Gpio:PulseCounters:0:Pin 17 is already used by Gpio:Doors:0:Pin; expected every pin once.")]
    [TestCase("Gpio:Doors:0:Pull", "sideways", "Gpio:Doors:0:Pull is 'sideways'; expected up, down or none.")]
    [TestCase("Gpio:Doors:0:Severity", "urgent", "Gpio:Doors:0:Severity is 'urgent'; expected info, warning, major or critical.")]
    [TestCase("Gpio:Doors:0:Debounce", "11s", "Gpio:Doors:0:Debounce is 00:00:11; expected 00:00:00 up to 00:00:10, such as 50ms.")]
    [TestCase("Gpio:Doors:0:Name", "Cabinet Door", "Gpio:Doors:0:Name is 'Cabinet Door'; expected snake_case")]
    [TestCase("Gpio:Doors:0:DeviceId", "", "Gpio:Doors:0:DeviceId is missing; expected the unified device code")]
    [TestCase("Gpio:PulseCounters:0:LitresPerPulse", "0", "Gpio:PulseCounters:0:LitresPerPulse is 0; expected the volume of one pulse in litres")]
    [TestCase("Gpio:PulseCounters:0:LitresPerPulse", "0.0005", "Gpio:PulseCounters:0:LitresPerPulse is 0.0005; expected whole millilitres")]
    [TestCase("Gpio:PulseCounters:0:MinPulseWidth", "0s", "Gpio:PulseCounters:0:MinPulseWidth is 00:00:00; expected a positive duration")]
    [TestCase("Gpio:PulseCounters:0:StartTotal", "-5", "Gpio:PulseCounters:0:StartTotal is -5; expected the meter's register in m³, 0 or more.")]
    [TestCase("Gpio:PulseCounters:0:ReportInterval", "500ms", "Gpio:PulseCounters:0:ReportInterval is 00:00:00.5000000; expected at least 00:00:01")]
    [TestCase("Gpio:PulseCounters:0:FlowPoint", "volume", "Gpio:PulseCounters:0:FlowPoint 'volume' of device 'wm-0001' is already reported by Gpio:PulseCounters:0:TotalPoint")]
    [TestCase("Gpio:Relays:0:Name", "cabinet_door", "Gpio:Relays:0:Name 'cabinet_door' is already used by Gpio:Doors:0:Name")]
    [TestCase("Gpio:Relays:0:SafeState", "maybe", "Gpio:Relays:0:SafeState is 'maybe'; expected on or off.")]
    [TestCase("Gpio:Dimmers:0:Frequency", "0", "Gpio:Dimmers:0:Frequency is 0; expected 1..1000000 Hz, such as 1000.")]
    [TestCase("Gpio:Dimmers:0:Max", "120", "Gpio:Dimmers:0:Max is 120; expected a level 0..100 %.")]
    [TestCase("Gpio:Dimmers:0:Min", "100.5", "Gpio:Dimmers:0:Min is 100.5; expected a level 0..100 %.")]
    [TestCase("Gpio:Dimmers:0:SafeLevel", "5", "Gpio:Dimmers:0:SafeLevel is 5; expected a level between Gpio:Dimmers:0:Min (10) and Gpio:Dimmers:0:Max (100).")]
    public void A_bad_value_is_named_by_its_key(string key, string? value, string expected)
    {
        var settings = WithGpio(("Gpio:Dimmers:0:Min", "10"), (key, value));

        Assert.That(Problems(settings), Has.One.StartsWith(expected));
    }

    [TestCase("Gpio:Doors:0:Pin", "four", "Gpio:Doors:0:Pin is 'four'; expected a whole number.")]
    [TestCase("Gpio:PulseCounters:0:LitresPerPulse", "10 L", "Gpio:PulseCounters:0:LitresPerPulse is '10 L'; expected a number such as 10 or 0.5.")]
    [TestCase("Gpio:Relays:0:ActiveLow", "yes", "Gpio:Relays:0:ActiveLow is 'yes'; expected true or false.")]
    [TestCase("Gpio:Doors:0:Debouce", "50ms", "Gpio:Doors:0:Debouce is not a known key; expected one of")]
    [TestCase("Gpio:Doors:front:Pin", "4", "Gpio:Doors:front is not an entry of the list; expected Gpio:Doors:0, Gpio:Doors:1, ...")]
    [TestCase("Gpio:Doors", "4", "Gpio:Doors is '4'; expected a list of entries (Gpio:Doors:0:...).")]
    [TestCase("Gpio:Dimmer:0:Name", "x", "Gpio:Dimmer is not a known key; expected one of")]
    public void A_key_or_value_that_cannot_be_bound_is_named_instead_of_being_dropped(string key, string value, string expected)
    {
        Assert.That(Problems(WithGpio((key, value))), Has.One.StartsWith(expected));
    }

    [Test]
    public void A_simulated_field_device_is_refused_on_real_hardware_and_needs_a_hold_shorter_than_its_period()
    {
        var problems = Problems(WithGpio(("Gpio:Driver", "libgpiod"),
            ("Gpio:Simulation:0:Pin", "17"), ("Gpio:Simulation:0:Every", "30s"), ("Gpio:Simulation:0:Hold", "30s")));

        Assert.That(problems, Is.EqualTo(new[]
        {
            "Gpio:Simulation:0 plays a field device on a simulated chip, but Gpio:Driver is not simulated; expected no Gpio:Simulation with real hardware.",
            "Gpio:Simulation:0:Hold is 00:00:30; expected a positive duration shorter than Gpio:Simulation:0:Every (00:00:30), such as 100ms.",
        }));
    }

    [Test]
    public void A_pin_the_chip_does_not_have_is_named_when_the_driver_is_opened()
    {
        var services = Services(WithGpio(("Gpio:Relays:0:Pin", "70")));
        services.AddSingleton<IGpioHardware>(new SimulatedGpioHardware(new SimulatedGpioDriver(pinCount: 64)));
        using var provider = services.BuildServiceProvider();

        var invalid = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<GpioController>());

        Assert.That(invalid!.Failures, Is.EqualTo(new[] { "Gpio:Relays:0:Pin is 70; expected 0..63, the lines of the GPIO chip." }));
    }

    [Test]
    public void A_host_that_registers_no_gpio_hardware_is_told_so()
    {
        using var provider = Services(WithGpio()).BuildServiceProvider();

        var missing = Assert.Throws<InvalidOperationException>(() => provider.GetRequiredService<GpioController>());

        Assert.That(missing!.Message, Does.Contain("registered no IGpioHardware"));
    }

    [Test]
    public void Without_a_gpio_section_the_gateway_registers_no_gpio()
    {
        var services = Services(Valid(_profiles, _data));

        Assert.That(services.Select(s => s.ServiceType),
            Has.None.AnyOf(typeof(GpioController), typeof(GpioOutputs), typeof(GpioInputService), typeof(IValidateOptions<GpioOptions>)));
    }

    private ServiceCollection Services(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddLogging().AddCivicEdgeGateway(configuration);
        return services;
    }

    private Dictionary<string, string?> WithGpio(params (string Key, string? Value)[] overrides)
    {
        var settings = Valid(_profiles, _data);
        foreach (var (key, value) in new (string, string?)[]
        {
            ("Gpio:Driver", "simulated"),
            ("Gpio:Doors:0:Name", "cabinet_door"), ("Gpio:Doors:0:DeviceId", "pole-0001"), ("Gpio:Doors:0:Pin", "4"),
            ("Gpio:PulseCounters:0:Name", "water_main"), ("Gpio:PulseCounters:0:DeviceId", "wm-0001"), ("Gpio:PulseCounters:0:Pin", "17"),
            ("Gpio:PulseCounters:0:LitresPerPulse", "10"),
            ("Gpio:Relays:0:Name", "lamp_relay"), ("Gpio:Relays:0:DeviceId", "pole-0001"), ("Gpio:Relays:0:Pin", "22"),
            ("Gpio:Dimmers:0:Name", "lamp_dimming"), ("Gpio:Dimmers:0:DeviceId", "pole-0001"),
        })
        {
            settings[key] = value;
        }

        foreach (var (key, value) in overrides)
            settings[key] = value;
        return settings;
    }
}
