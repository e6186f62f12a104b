using System.Device.Gpio;
using System.Device.Pwm;

namespace CivicEdge.Gateway.Gpio;

/// <summary>
/// Where the gateway's pins and PWM channels come from: the seam between the GPIO logic and the kernel. The host
/// registers the implementation (<see cref="ConfiguredGpioHardware"/> in production, a simulation in tests), so no
/// driver is ever created by default: <c>new GpioController()</c> would throw on a machine without GPIO chips.
/// </summary>
public interface IGpioHardware
{
    /// <summary>Opens the GPIO driver; the caller owns it (a <see cref="GpioController"/> disposes its driver).</summary>
    GpioDriver OpenDriver();

    /// <summary>Opens a PWM channel, not yet started; the caller owns it.</summary>
    /// <param name="chip">The PWM chip, <c>pwmchipN</c>.</param>
    /// <param name="channel">The channel on the chip, <c>pwmM</c>.</param>
    /// <param name="frequency">The frequency in hertz.</param>
    /// <param name="dutyCycle">The duty cycle to start from, 0..1, so that the output never passes through another level.</param>
    PwmChannel OpenPwmChannel(int chip, int channel, int frequency, double dutyCycle);
}
