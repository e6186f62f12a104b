
namespace CivicEdge.Firmware.Host;

/// <summary>
/// A luminaire on a 50 Hz supply as the controller's pins see it: it draws current while its relay is closed (or while
/// a welded contact or a day burner feeds it), its power follows the 0–10 V dimming input (IEC 60929 Annex E: 1 V is
/// the driver's minimum, 10 V full), and it can fail. The mains wave advances one sample per voltage conversion, at a
/// sampling rate that is not a whole multiple of the mains frequency, as on a real ADC.
/// </summary>
public sealed class SimulatedLamp
{
    private const double PinBias = 1.65;
    private readonly SimulatedDigitalOutput _relay;
    private readonly SimulatedPwmOutput _dimming;
    private long _sample;

    public SimulatedLamp(SimulatedDigitalOutput relay, SimulatedPwmOutput dimming, double voltageScale, double currentScale)
    {
        _relay = relay;
        _dimming = dimming;
        MainsVoltage = new SimulatedAnalogInput(VoltagePin);
        LampCurrent = new SimulatedAnalogInput(CurrentPin);
        VoltageScale = voltageScale;
        CurrentScale = currentScale;
    }

    public SimulatedAnalogInput MainsVoltage { get; }

    public SimulatedAnalogInput LampCurrent { get; }

    public double VoltageScale { get; }

    public double CurrentScale { get; }

    /// <summary>Supply voltage, V RMS.</summary>
    public double SupplyVolts { get; set; } = 230;

    /// <summary>Power at full light, W.</summary>
    public double RatedWatts { get; set; } = 100;

    /// <summary>The driver's minimum light output at 1 V, percent.</summary>
    public double DriverMinimumPercent { get; set; } = 10;

    public double PowerFactor { get; set; } = 0.95;

    /// <summary>ADC sample pairs per mains cycle (e.g. 2083 Hz / 50 Hz).</summary>
    public double SamplesPerCycle { get; set; } = 41.66;

    /// <summary>The lamp is dead: no current even with the relay closed.</summary>
    public bool Failed { get; set; }

    /// <summary>The lamp burns whatever the relay does (a welded contact).</summary>
    public bool Welded { get; set; }

    /// <summary>Whether current flows.</summary>
    public bool Burning => !Failed && SupplyVolts > 0 && (_relay.State || Welded);

    /// <summary>The light level the driver gives for its control voltage, percent.</summary>
    public double LightPercent
    {
        get
        {
            var volts = _dimming.DutyCycle * 10;
            if (!_relay.State && Welded)
                return 100;
            return volts <= 1 ? DriverMinimumPercent : DriverMinimumPercent + ((volts - 1) / 9 * (100 - DriverMinimumPercent));
        }
    }

    /// <summary>Active power drawn now, W.</summary>
    public double Watts => Burning ? RatedWatts * LightPercent / 100 : 0;

    /// <summary>Lamp current now, A RMS.</summary>
    public double Amps => Burning ? Watts / (SupplyVolts * PowerFactor) : 0;

    private double Phase => 2 * Math.PI * _sample / SamplesPerCycle;

    private double VoltagePin()
    {
        _sample++;
        return PinBias + (SupplyVolts * Math.Sqrt(2) / VoltageScale * Math.Sin(Phase));
    }

    private double CurrentPin() =>
        PinBias + (Amps * Math.Sqrt(2) / CurrentScale * Math.Sin(Phase - Math.Acos(PowerFactor)));
}
