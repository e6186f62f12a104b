using CivicEdge.Firmware.Core.Uplink;
using CivicEdge.Firmware.Host;
using CivicEdge.Firmware.Pole.Settings;
using Microsoft.Extensions.Time.Testing;

namespace CivicEdge.Firmware.Pole.Tests.Support;

/// <summary>
/// A pole on the bench: a controller on simulated pins, a simulated lamp, settings storage that outlives reboots, and a
/// <see cref="FakeTimeProvider"/> under the device clock. <c>Run</c> moves time and calls the main loop.
/// </summary>
public sealed class PoleRig
{
    public PoleRig(DateTimeOffset start, bool clockSynchronized = true, PoleSettings? settings = null)
    {
        Time = new FakeTimeProvider(start);
        // The board's true scales are the defaults; settings with other factors calibrate against them.
        var truth = new PoleSettings();
        Lamp = new SimulatedLamp(Relay, Dimming, truth.VoltageScale, truth.CurrentScale);
        if (settings is not null)
        {
            var problem = new PoleSettingsStore(Storage).Save(settings);
            Assert.That(problem, Is.Null);
        }

        Boot(clockSynchronized);
    }

    public FakeTimeProvider Time { get; }

    public MemorySettingsStorage Storage { get; } = new();

    public SimulatedDigitalOutput Relay { get; } = new();

    public SimulatedPwmOutput Dimming { get; } = new();

    public SimulatedDigitalInput Door { get; } = new();

    public SimulatedDigitalInput TiltSwitch { get; } = new();

    public SimulatedDigitalInput RelayFeedback { get; } = new();

    public FakeLis3dh Accelerometer { get; } = new();

    public SimulatedLamp Lamp { get; }

    /// <summary>Driver temperature the thermistor pin shows, °C.</summary>
    public double DriverCelsius { get; set; } = 40;

    public SimulatedClock Clock { get; private set; } = null!;

    public PoleController Controller { get; private set; } = null!;

    /// <summary>Whether the board has a relay feedback contact, a photocell (see <see cref="Photocell"/>).</summary>
    public bool WithRelayFeedback { get; set; }

    public SimulatedDigitalInput? Photocell { get; set; }

    /// <summary>The RS-485 line to the gateway.</summary>
    public BusLine FieldBus { get; } = new();

    /// <summary>The IP link to the broker, and the credentials of MQTT mode; without credentials the pole has no MQTT.</summary>
    public BrokerLink Broker { get; } = new();

    public UplinkOptions? Credentials { get; set; }

    /// <summary>An energy meter on the RS-485 bus instead of the gateway (MQTT mode), or null.</summary>
    public MeterOnTheBus? Meter { get; set; }

    /// <summary>Starts the firmware again on the same storage and pins, as after a power cycle; the clock is unset unless <paramref name="clockSynchronized"/>.</summary>
    public void Boot(bool clockSynchronized)
    {
        Clock = new SimulatedClock(Time, clockSynchronized);
        var hardware = new PoleHardware(Relay, Dimming, Lamp.MainsVoltage, Lamp.LampCurrent)
        {
            DoorContact = Door,
            TiltSwitch = TiltSwitch,
            Accelerometer = Accelerometer,
            DriverThermistor = new SimulatedAnalogInput(ThermistorPin),
            RelayFeedback = WithRelayFeedback ? RelayFeedback : null,
            Photocell = Photocell,
            FieldBus = Meter is null ? FieldBus : Meter,
            Delay = Meter,
            Network = Broker,
        };
        Controller = new PoleController(hardware, Clock, Storage, Credentials);
    }

    /// <summary>Moves time by <paramref name="duration"/> in passes of <paramref name="pass"/>, stepping the controller after each.</summary>
    public void Run(TimeSpan duration, TimeSpan pass)
    {
        for (var elapsed = TimeSpan.Zero; elapsed < duration; elapsed += pass)
        {
            Time.Advance(pass);
            if (WithRelayFeedback)
                RelayFeedback.Level = Relay.State || Lamp.Welded;
            Controller.Step();
        }
    }

    /// <summary>Runs in one-second passes.</summary>
    public void Run(TimeSpan duration) => Run(duration, TimeSpan.FromSeconds(1));

    /// <summary>The thermistor pin: 10 kΩ NTC (B 3950) to ground under a 10 kΩ resistor from 3.3 V.</summary>
    private double ThermistorPin()
    {
        var kelvin = DriverCelsius + 273.15;
        var ohms = 10000 * Math.Exp(3950 * ((1 / kelvin) - (1 / 298.15)));
        return 3.3 * ohms / (ohms + 10000);
    }
}
