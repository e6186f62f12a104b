using System.Device.Gpio;
using System.Device.Pwm;

namespace CivicEdge.Gateway.Gpio.Simulation;

/// <summary>
/// Simulated pins and PWM channels: the gateway gets <see cref="Driver"/>, which a test or simulation drives, and
/// every PWM channel it opens is kept for inspection (<see cref="Pwm"/>).
/// </summary>
/// <param name="driver">The simulated chip; a fresh 64-line one when null.</param>
public sealed class SimulatedGpioHardware(SimulatedGpioDriver? driver = null) : IGpioHardware
{
    private readonly Lock _gate = new();
    private readonly Dictionary<(int Chip, int Channel), SimulatedPwmChannel> _channels = [];

    /// <summary>The simulated chip the gateway opens.</summary>
    public SimulatedGpioDriver Driver { get; } = driver ?? new SimulatedGpioDriver();

    public GpioDriver OpenDriver() => Driver;

    public PwmChannel OpenPwmChannel(int chip, int channel, int frequency, double dutyCycle)
    {
        var opened = new SimulatedPwmChannel(chip, channel, frequency, dutyCycle);
        lock (_gate)
            _channels[(chip, channel)] = opened;
        return opened;
    }

    /// <summary>The channel last opened as <c>pwmchip<paramref name="chip"/>/pwm<paramref name="channel"/></c>.</summary>
    /// <exception cref="KeyNotFoundException">The gateway has not opened it.</exception>
    public SimulatedPwmChannel Pwm(int chip, int channel)
    {
        lock (_gate)
        {
            return _channels.TryGetValue((chip, channel), out var opened)
                ? opened
                : throw new KeyNotFoundException($"PWM channel {channel} of chip {chip} has not been opened.");
        }
    }
}
