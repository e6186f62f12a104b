using System.Device.Pwm;
using CivicEdge.Firmware.Core.Hal;

namespace CivicEdge.Firmware.Pole.Device;

/// <summary>The LEDC PWM channel that the board's RC filter and amplifier turn into the driver's 0–10 V input.</summary>
public sealed class PwmDimmingOutput : IPwmOutput
{
    private readonly PwmChannel _channel;

    public PwmDimmingOutput(int pinNumber, int frequency)
    {
        // The pin was given the PWM function in Program (Configuration.SetPinFunction); start at 0 V.
        _channel = PwmChannel.CreateFromPin(pinNumber, frequency, 0);
        _channel.Start();
    }

    public double DutyCycle
    {
        get => _channel.DutyCycle;
        set => _channel.DutyCycle = value;
    }
}
