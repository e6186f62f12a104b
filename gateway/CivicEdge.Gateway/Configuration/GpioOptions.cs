namespace CivicEdge.Gateway.Configuration;

/// <summary>
/// The <c>Gpio</c> section: the gateway's own digital inputs and outputs (cabinet door contacts, pulse outputs of
/// water and gas meters, lamp relays, 0–10 V dimming through PWM). Without the section the gateway has no GPIO.
/// </summary>
public sealed class GpioOptions
{
    public const string SectionName = "Gpio";

    /// <summary>
    /// <c>libgpiod</c> (the GPIO character device through libgpiod 1.x, Debian 12), <c>libgpiod2</c> (libgpiod 2.x,
    /// Debian 13), <c>sysfs</c> (the deprecated <c>/sys/class/gpio</c> interface, which cannot set pull resistors) or
    /// <c>simulated</c> (no hardware: pins are driven by a simulation).
    /// </summary>
    public string Driver { get; set; } = "libgpiod";

    /// <summary>The GPIO chip of the libgpiod drivers, <c>/dev/gpiochipN</c>; pins are line offsets on it.</summary>
    public int Chip { get; set; }

    /// <summary>
    /// How long a counted pulse may wait before it is committed to the gateway database; all counters commit together.
    /// A power cut loses at most the pulses of one interval (see the README).
    /// </summary>
    public TimeSpan CommitInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Door contacts.</summary>
    public OptionsList<DoorContactOptions> Doors { get; set; } = [];

    /// <summary>Pulse inputs of water and gas meters.</summary>
    public OptionsList<PulseCounterOptions> PulseCounters { get; set; } = [];

    /// <summary>Relay outputs, e.g. the lamp's contactor.</summary>
    public OptionsList<RelayOptions> Relays { get; set; } = [];

    /// <summary>PWM outputs driving a 0–10 V dimming interface.</summary>
    public OptionsList<DimmerOptions> Dimmers { get; set; } = [];

    /// <summary>Field devices played on the simulated chip; only with the <c>simulated</c> driver.</summary>
    public OptionsList<SimulatedPinOptions> Simulation { get; set; } = [];
}
