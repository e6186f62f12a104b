using System.Device.Pwm;
using CivicEdge.Gateway.Configuration;

namespace CivicEdge.Gateway.Gpio;

/// <summary>A PWM channel whose duty cycle sets a 0–10 V dimming level.</summary>
internal sealed class DimmerOutput(DimmerOptions options, IGpioHardware hardware)
{
    private PwmChannel? _channel;

    public DimmerOptions Options { get; } = options;

    /// <summary>The level actually applied for <paramref name="percent"/>: clamped to Min..Max.</summary>
    public double Clamp(double percent) => Math.Clamp(percent, Options.Min, Options.Max);

    /// <summary>Opens the channel at the safe level and starts it.</summary>
    public void Open()
    {
        _channel = hardware.OpenPwmChannel(Options.PwmChip, Options.PwmChannel, Options.Frequency, Duty(Options.SafeLevel));
        _channel.Start();
    }

    public void Dim(double level)
    {
        if (_channel is null)
            throw new InvalidOperationException($"Dimmer '{Options.Name}' is not open.");
        _channel.DutyCycle = Duty(level);
    }

    /// <summary>
    /// The duty cycle for <paramref name="level"/>: a PWM-to-0–10 V interface averages the pulses, so the voltage (and
    /// the level) follows the duty cycle; an inverting one (an open collector sinking the line) follows its complement.
    /// </summary>
    private double Duty(double level) => (Options.Invert ? 100 - level : level) / 100;
}
