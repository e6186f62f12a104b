namespace CivicEdge.Firmware.Core.Hal;

/// <summary>
/// A PWM channel, e.g. filtered to the 0–10 V dimming input of a lamp driver (IEC 60929 Annex E: 1 V is minimum
/// light output, 10 V full).
/// </summary>
public interface IPwmOutput
{
    /// <summary>Duty cycle from 0.0 (always low) to 1.0 (always high).</summary>
    double DutyCycle { get; set; }
}
