using System.Device.Gpio;
using CivicEdge.Fleet.Contracts;
using CivicEdge.Gateway.Configuration;
using CivicEdge.Gateway.Gpio;
using CivicEdge.Gateway.Gpio.Simulation;
using CivicEdge.Gateway.Hosting;
using CivicEdge.Gateway.Storage;
using CivicEdge.Gateway.Tests.Support;
using CivicEdge.Gateway.Uplink;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace CivicEdge.Gateway.Tests.Hosting;

/// <summary>
/// The gateway as the host composes it with a <c>Gpio</c> section, on a simulated chip driven in real time: door
/// changes and pulse totals go the way every reading goes, through the outbox.
/// </summary>
[Category("Integration")]
public sealed class GpioHostTests
{
    private const int DoorPin = 4;
    private const int MeterPin = 17;
    private const int LampPin = 22;
    private const double StartTotal = 815.25;

    private TempDirectory _directory = null!;
    private FakeUplinkTransport _transport = null!;
    private StringWriter _stdout = null!;
    private string _profiles = null!;
    private string _data = null!;

    [SetUp]
    public void SetUp()
    {
        _directory = new TempDirectory();
        _profiles = TestProfiles.WriteMeter(_directory);
        _data = _directory.File("gateway.db");
        // The fleet is out of reach, so everything the gateway accepts stays in the outbox for the test to read.
        _transport = new FakeUplinkTransport { FailNext = int.MaxValue };
        _stdout = new StringWriter();
    }

    [TearDown]
    public void TearDown()
    {
        _stdout.Dispose();
        _directory.Dispose();
    }

    [Test]
    public async Task Door_changes_pulse_totals_and_output_states_from_the_pins_reach_the_outbox()
    {
        var hardware = new SimulatedGpioHardware();
        using var host = Build(hardware);
        await host.StartAsync();
        var outbox = host.Services.GetRequiredService<Outbox>();
        Assert.That(hardware.Driver.Level(LampPin), Is.EqualTo(PinValue.High), "the lamp relay's safe state is on");

        hardware.Driver.Drive(DoorPin, PinValue.High);
        await Wait.UntilAsync(() => Points(outbox, "door_open").Contains(1), "the door's opening in the outbox");
        for (var i = 0; i < 5; i++)
            await PulseAsync(hardware.Driver);
        await Wait.UntilAsync(() => Points(outbox, "volume").Contains(StartTotal + 0.05), "the total of five 10 L pulses in the outbox");
        var dimmed = await host.Services.GetRequiredService<GpioOutputs>().SetAsync("lamp_dimming", 40, CancellationToken.None);
        await Wait.UntilAsync(() => Points(outbox, "lamp_dimming").Contains(40), "the dimming level in the outbox");
        await host.StopAsync();

        Assert.That(Points(outbox, "door_open"), Is.EqualTo(new[] { 0.0, 1.0 }), "closed at start-up, then open");
        Assert.That(Points(outbox, "volume")[0], Is.EqualTo(StartTotal), "the register at start-up");
        Assert.That(Points(outbox, "volume"), Is.Ordered.Ascending);
        Assert.That(Points(outbox, "lamp_dimming"), Is.EqualTo(new[] { 100.0, 40.0, 100.0 }), "safe level, set, safe level on shutdown");
        Assert.That(dimmed.Value, Is.EqualTo(40));
        Assert.That(hardware.Pwm(0, 0).DutyCycle, Is.EqualTo(1.0));

        var doorEvents = DoorEvents(outbox);
        Assert.That(doorEvents.Select(e => (e.DeviceId, e.Code, e.State, e.Severity)), Is.EqualTo(new[]
        {
            ("pole-0001", "door_open", EventState.Cleared, EventSeverity.Major),
            ("pole-0001", "door_open", EventState.Raised, EventSeverity.Major),
        }));
    }

    [Test]
    public async Task A_restarted_gateway_counts_on_from_the_committed_total()
    {
        var first = new SimulatedGpioHardware();
        using (var host = Build(first))
        {
            await host.StartAsync();
            for (var i = 0; i < 3; i++)
                await PulseAsync(first.Driver);
            await Wait.UntilAsync(
                () => host.Services.GetRequiredService<GpioInputService>().Counters.Single().Pulses == 3, "three pulses counted");
            await host.StopAsync();
        }

        var second = new SimulatedGpioHardware();
        using (var host = Build(second))
        {
            await host.StartAsync();
            var counter = host.Services.GetRequiredService<GpioInputService>().Counters.Single();
            Assert.That(counter.Pulses, Is.EqualTo(3));
            for (var i = 0; i < 2; i++)
                await PulseAsync(second.Driver);
            await Wait.UntilAsync(() => counter.Pulses == 5, "two more pulses counted");
            await host.StopAsync();
        }

        using var database = new GatewayDatabase(_data);
        Assert.That(new PulseTotalStore(database).Load("wm-0001/volume")!.Pulses, Is.EqualTo(5));
        using var outbox = new Outbox(database, new OutboxOptions(), "gw-gpio", TimeProvider.System);
        Assert.That(Points(outbox, "volume"), Does.Contain(StartTotal + 0.03), "the second start reports the first one's total");
    }

    [Test]
    public async Task With_the_configured_simulated_driver_the_simulated_field_devices_drive_the_inputs()
    {
        // As civicedge-gateway composes it: the hardware Gpio:Driver names, here the simulated chip with a meter pulsing
        // every 200 ms and a door opened for 300 ms every 600 ms.
        var settings = new Dictionary<string, string?>
        {
            ["Gpio:Relays:0:Name"] = null, ["Gpio:Relays:0:DeviceId"] = null, ["Gpio:Relays:0:Pin"] = null, ["Gpio:Relays:0:SafeState"] = null,
            ["Gpio:Simulation:0:Pin"] = $"{MeterPin}", ["Gpio:Simulation:0:Every"] = "200ms", ["Gpio:Simulation:0:Hold"] = "50ms",
            ["Gpio:Simulation:1:Pin"] = $"{DoorPin}", ["Gpio:Simulation:1:Every"] = "600ms", ["Gpio:Simulation:1:Hold"] = "300ms",
            ["Gpio:Simulation:1:ActiveLow"] = "false",
        };
        using var host = Build(hardware: null, settings);
        await host.StartAsync();
        var outbox = host.Services.GetRequiredService<Outbox>();

        await Wait.UntilAsync(() => Points(outbox, "volume").Any(total => total >= StartTotal + 0.03), "three simulated pulses in a reported total");
        await Wait.UntilAsync(() => Points(outbox, "door_open").Count >= 3, "the simulated door opened and closed");
        await host.StopAsync();

        Assert.That(host.Services.GetRequiredService<IGpioHardware>(), Is.TypeOf<ConfiguredGpioHardware>());
        Assert.That(Points(outbox, "volume"), Is.Ordered.Ascending);
        Assert.That(Points(outbox, "door_open").Take(3), Is.EqualTo(new[] { 0.0, 1.0, 0.0 }));
        var states = DoorEvents(outbox).Select(e => e.State);
        Assert.That(states.Take(3), Is.EqualTo(new[] { EventState.Cleared, EventState.Raised, EventState.Cleared }));
    }

    /// <summary>One pulse of the meter's open collector in real time, well over the 5 ms minimum width.</summary>
    private static async Task PulseAsync(SimulatedGpioDriver driver)
    {
        driver.Drive(MeterPin, PinValue.Low);
        await Task.Delay(30);
        driver.Release(MeterPin);
        await Task.Delay(30);
    }

    /// <summary>The door alarms in the outbox's events stream, in sequence order.</summary>
    private static List<EventRecord> DoorEvents(Outbox outbox) =>
        [.. outbox.PeekEvents(0, 10_000).Where(e => e.Code == "door_open")];

    /// <summary>
    /// The values of <paramref name="point"/> in the outbox, in sequence order within each stream: the totals are billing
    /// readings, the door and outputs routine telemetry.
    /// </summary>
    private static List<double> Points(Outbox outbox, string point) =>
    [
        .. new[] { Streams.Billing, Streams.Telemetry }
            .SelectMany(stream => outbox.Peek(stream, 0, 10_000).Select(record => (Stream: stream, Record: record)))
            .OrderBy(entry => entry.Stream).ThenBy(entry => entry.Record.Seq)
            .SelectMany(entry => entry.Record.Points.Where(p => p.Name == point).Select(p => Math.Round(p.Value, 9))),
    ];

    /// <summary>
    /// The gateway with GPIO on <paramref name="hardware"/>, or on the hardware the configuration names when null;
    /// <paramref name="overrides"/> change keys, or remove them with a null value.
    /// </summary>
    private IHost Build(SimulatedGpioHardware? hardware, Dictionary<string, string?>? overrides = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        var settings = new Dictionary<string, string?>
        {
            ["Gateway:Id"] = "gw-test-01",
            ["Gateway:DataPath"] = _data,
            ["Gateway:ProfilesPath"] = _profiles,
            // The local API would listen on its default port, which any gateway running on the machine may hold.
            ["Gateway:Http:Enabled"] = "false",
            ["Gpio:Driver"] = "simulated",
            ["Gpio:CommitInterval"] = "100ms",
            ["Gpio:Doors:0:Name"] = "cabinet_door",
            ["Gpio:Doors:0:DeviceId"] = "pole-0001",
            ["Gpio:Doors:0:Pin"] = $"{DoorPin}",
            ["Gpio:Doors:0:Pull"] = "down",
            ["Gpio:Doors:0:Debounce"] = "5ms",
            ["Gpio:PulseCounters:0:Name"] = "water_main",
            ["Gpio:PulseCounters:0:DeviceId"] = "wm-0001",
            ["Gpio:PulseCounters:0:Pin"] = $"{MeterPin}",
            ["Gpio:PulseCounters:0:LitresPerPulse"] = "10",
            ["Gpio:PulseCounters:0:MinPulseWidth"] = "5ms",
            ["Gpio:PulseCounters:0:StartTotal"] = $"{StartTotal}",
            ["Gpio:PulseCounters:0:ReportInterval"] = "1s",
            ["Gpio:Relays:0:Name"] = "lamp_relay",
            ["Gpio:Relays:0:DeviceId"] = "pole-0001",
            ["Gpio:Relays:0:Pin"] = $"{LampPin}",
            ["Gpio:Relays:0:SafeState"] = "on",
            ["Gpio:Dimmers:0:Name"] = "lamp_dimming",
            ["Gpio:Dimmers:0:DeviceId"] = "pole-0001",
        };
        foreach (var (key, value) in overrides ?? [])
        {
            if (value is null)
                settings.Remove(key);
            else
                settings[key] = value;
        }
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddSingleton<IUplinkTransport>(_transport);
        if (hardware is null)
            builder.Services.AddSingleton<IGpioHardware, ConfiguredGpioHardware>();
        else
            builder.Services.AddSingleton<IGpioHardware>(hardware);
        builder.Services.AddCivicEdgeGateway(builder.Configuration, _stdout);
        return builder.Build();
    }
}
