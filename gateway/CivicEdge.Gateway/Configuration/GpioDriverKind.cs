namespace CivicEdge.Gateway.Configuration;

/// <summary>Which System.Device.Gpio driver the gateway opens its pins through.</summary>
public enum GpioDriverKind
{
    /// <summary>The GPIO character device through libgpiod 1.x (<c>libgpiod.so.2</c>, Debian 12).</summary>
    Libgpiod,

    /// <summary>The GPIO character device through libgpiod 2.x (<c>libgpiod.so.3</c>, Debian 13).</summary>
    Libgpiod2,

    /// <summary><c>/sys/class/gpio</c>: deprecated by the kernel, no pull resistors, but present on old boards.</summary>
    Sysfs,

    /// <summary>No hardware: pins and PWM channels are simulated.</summary>
    Simulated,
}
