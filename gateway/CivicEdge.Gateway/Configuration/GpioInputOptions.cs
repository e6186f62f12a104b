namespace CivicEdge.Gateway.Configuration;

/// <summary>What every digital input of the <c>Gpio</c> section has: a pin, its polarity and its pull resistor.</summary>
public abstract class GpioInputOptions
{
    /// <summary>The input's name, snake_case and unique in the <c>Gpio</c> section, e.g. <c>cabinet_door</c>.</summary>
    public string Name { get; set; } = string.Empty;

    /// <summary>The unified device code of the device the input belongs to.</summary>
    public string DeviceId { get; set; } = string.Empty;

    /// <summary>The pin: a line offset on <see cref="GpioOptions.Chip"/> (libgpiod) or the global GPIO number (sysfs).</summary>
    public int? Pin { get; set; }

    /// <summary>True when the input is active (door open, pulse) at the low level.</summary>
    public bool ActiveLow { get; set; }

    /// <summary>
    /// <c>up</c>, <c>down</c> or <c>none</c>: the pin's internal bias resistor. A reed contact or an open-collector
    /// output only pulls one way and needs the other from a resistor; where the driver cannot set one (sysfs), the
    /// gateway warns and an external resistor is needed.
    /// </summary>
    public string Pull { get; set; } = "up";
}
