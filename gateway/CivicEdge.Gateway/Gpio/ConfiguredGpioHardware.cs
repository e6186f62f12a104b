using System.Device.Gpio;
using System.Device.Gpio.Drivers;
using System.Device.Pwm;
using CivicEdge.Gateway.Configuration;
using CivicEdge.Gateway.Gpio.Simulation;
using Microsoft.Extensions.Options;

namespace CivicEdge.Gateway.Gpio;

/// <summary>
/// The hardware <c>Gpio:Driver</c> names: libgpiod 1.x or 2.x on <c>/dev/gpiochip{Gpio:Chip}</c>, sysfs, or a
/// simulation; PWM channels through sysfs (<c>/sys/class/pwm</c>), or simulated with the simulated driver.
/// </summary>
/// <param name="options">The <c>Gpio</c> section, already validated.</param>
public sealed class ConfiguredGpioHardware(IOptions<GpioOptions> options) : IGpioHardware
{
    private readonly SimulatedGpioHardware _simulation = new();

    /// <summary>The simulated chip and PWM channels when <c>Gpio:Driver</c> is <c>simulated</c>, else null.</summary>
    public SimulatedGpioHardware? Simulation => Kind == GpioDriverKind.Simulated ? _simulation : null;

    private GpioDriverKind Kind =>
        GpioVocabulary.TryParseDriver(options.Value.Driver, out var kind)
            ? kind
            : throw new InvalidOperationException($"{GpioOptions.SectionName}:Driver '{options.Value.Driver}' has not been validated.");

    /// <exception cref="GpioUnavailableException">The driver's library, the chip or the permission to use it is missing.</exception>
    public GpioDriver OpenDriver()
    {
        var chip = options.Value.Chip;
        try
        {
            return Kind switch
            {
                GpioDriverKind.Libgpiod => new LibGpiodDriver(chip),
                GpioDriverKind.Libgpiod2 => new LibGpiodV2Driver(chip),
                GpioDriverKind.Sysfs => new SysFsDriver(),
                _ => _simulation.OpenDriver(),
            };
        }
        catch (Exception ex) when (ex is PlatformNotSupportedException or IOException or UnauthorizedAccessException or DllNotFoundException or GpiodException)
        {
            throw new GpioUnavailableException(
                $"{GpioOptions.SectionName}:Driver {options.Value.Driver} (chip {chip}) could not be opened: {ex.Message}", ex);
        }
    }

    /// <exception cref="GpioUnavailableException">The PWM chip or channel does not exist or may not be used.</exception>
    public PwmChannel OpenPwmChannel(int chip, int channel, int frequency, double dutyCycle)
    {
        if (Kind == GpioDriverKind.Simulated)
            return _simulation.OpenPwmChannel(chip, channel, frequency, dutyCycle);
        try
        {
            return PwmChannel.Create(chip, channel, frequency, dutyCycle);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or PlatformNotSupportedException)
        {
            throw new GpioUnavailableException($"PWM channel /sys/class/pwm/pwmchip{chip}/pwm{channel} could not be opened: {ex.Message}", ex);
        }
    }
}
