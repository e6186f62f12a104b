namespace CivicEdge.Gateway.Gpio;

/// <summary>What a GPIO output drives.</summary>
public enum GpioOutputKind
{
    /// <summary>A relay on a digital output: 0 off, 1 on.</summary>
    Relay,

    /// <summary>A PWM channel driving a 0–10 V dimming interface: a level in %.</summary>
    Dimmer,
}
