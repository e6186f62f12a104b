using CivicEdge.Firmware.Core.Hal;

namespace CivicEdge.Firmware.Host;

/// <summary>A PWM channel that remembers its duty cycle, and refuses one outside 0–1 as the device driver does.</summary>
public sealed class SimulatedPwmOutput : IPwmOutput
{
    private double _dutyCycle;

    public double DutyCycle
    {
        get => _dutyCycle;
        set
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value);
            ArgumentOutOfRangeException.ThrowIfGreaterThan(value, 1.0);
            _dutyCycle = value;
        }
    }
}
