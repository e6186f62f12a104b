using CivicEdge.Firmware.Core.Hal;
using CivicEdge.Firmware.Core.Uplink;

namespace CivicEdge.Firmware.Pole;

/// <summary>
/// The pins and converters a pole controller drives and reads. The relay, the dimming output and the two mains ADC
/// channels are required; the rest is optional (null: the board has none), and the controller leaves out what a
/// missing part would judge.
/// </summary>
public sealed class PoleHardware
{
    public PoleHardware(IDigitalOutput relay, IPwmOutput dimming, IAnalogInput mainsVoltage, IAnalogInput lampCurrent)
    {
        Relay = relay;
        Dimming = dimming;
        MainsVoltage = mainsVoltage;
        LampCurrent = lampCurrent;
    }

    /// <summary>The lamp supply relay (high = closed).</summary>
    public IDigitalOutput Relay { get; }

    /// <summary>The PWM channel filtered to the driver's 0–10 V input (duty 1.0 = 10 V).</summary>
    public IPwmOutput Dimming { get; }

    /// <summary>Mains voltage at the driver, biased at mid-rail.</summary>
    public IAnalogInput MainsVoltage { get; }

    /// <summary>Lamp current through a current transformer, biased at mid-rail.</summary>
    public IAnalogInput LampCurrent { get; }

    /// <summary>The relay's auxiliary contact, high when closed.</summary>
    public IDigitalInput RelayFeedback { get; set; }

    /// <summary>The service door's contact, high when open.</summary>
    public IDigitalInput DoorContact { get; set; }

    /// <summary>A tilt switch, high when tilted.</summary>
    public IDigitalInput TiltSwitch { get; set; }

    /// <summary>A photocell's output, high when dark.</summary>
    public IDigitalInput Photocell { get; set; }

    /// <summary>The driver's NTC thermistor (10 kΩ at 25 °C, B 3950) under a 10 kΩ series resistor.</summary>
    public IAnalogInput DriverThermistor { get; set; }

    /// <summary>A LIS3DH accelerometer on I2C.</summary>
    public II2cDevice Accelerometer { get; set; }

    /// <summary>
    /// The RS-485 line (half duplex, the driver switches DE): a gateway polls the controller on it in slave mode; in MQTT
    /// mode the controller is its master and reads the energy meter on it.
    /// </summary>
    public ISerialLink FieldBus { get; set; }

    /// <summary>Waits of the Modbus master (turnaround after a broadcast) when the controller is master of its RS-485 bus.</summary>
    public IDelay Delay { get; set; }

    /// <summary>The controller's own IP link to an MQTT broker.</summary>
    public INetworkLink Network { get; set; }

    /// <summary>The managed heap, for the health report.</summary>
    public IMemoryGauge Memory { get; set; }

    /// <summary>Why the device last started, for the health report.</summary>
    public ResetCause ResetCause { get; set; } = ResetCause.Unknown;
}
