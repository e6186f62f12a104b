namespace CivicEdge.Gateway.Configuration;

/// <summary>One entry of <c>Gpio:Relays</c>: a digital output switching a relay, e.g. a lamp's contactor.</summary>
public sealed class RelayOptions
{
    /// <summary>The output's name, by which it is set and under which its state (0 off, 1 on) is reported, e.g. <c>lamp_relay</c>.</summary>
    public string Name { get; set; } = string.Empty;

    /// <summary>The unified device code of the device the relay belongs to.</summary>
    public string DeviceId { get; set; } = string.Empty;

    /// <summary>The pin: a line offset on <see cref="GpioOptions.Chip"/> (libgpiod) or the global GPIO number (sysfs).</summary>
    public int? Pin { get; set; }

    /// <summary>True when the relay is energised by the low level (many relay boards are).</summary>
    public bool ActiveLow { get; set; }

    /// <summary>
    /// <c>on</c> or <c>off</c>: the state the relay is put in at start-up, before anything sets it, and on shutdown. For
    /// street lighting this is often <c>on</c>, so that a stopped gateway leaves the street lit.
    /// </summary>
    public string SafeState { get; set; } = "off";
}
