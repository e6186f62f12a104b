namespace CivicEdge.Gateway.Configuration;

/// <summary>
/// One entry of <c>Gpio:Dimmers</c>: a hardware PWM channel (<c>/sys/class/pwm/pwmchipN/pwmM</c>) whose duty cycle a
/// PWM-to-0–10 V interface turns into the dimming voltage of a lamp driver (IEC 60929 Annex E).
/// </summary>
public sealed class DimmerOptions
{
    /// <summary>The output's name, by which it is set and under which its level (%) is reported, e.g. <c>lamp_dimming</c>.</summary>
    public string Name { get; set; } = string.Empty;

    /// <summary>The unified device code of the device the dimmer belongs to.</summary>
    public string DeviceId { get; set; } = string.Empty;

    /// <summary>The PWM chip, <c>pwmchipN</c>.</summary>
    public int PwmChip { get; set; }

    /// <summary>The channel on the chip, <c>pwmM</c>.</summary>
    public int PwmChannel { get; set; }

    /// <summary>The PWM frequency in hertz; PWM-to-0–10 V interfaces take about 100 Hz to 10 kHz.</summary>
    public int Frequency { get; set; } = 1000;

    /// <summary>True when the interface inverts (an open collector sinking the 0–10 V line: full duty is 0 V).</summary>
    public bool Invert { get; set; }

    /// <summary>The lowest level applied, in %: many drivers flicker or switch off below about 10 %.</summary>
    public double Min { get; set; }

    /// <summary>The highest level applied, in %, e.g. to cap an over-dimensioned luminaire.</summary>
    public double Max { get; set; } = 100;

    /// <summary>The level applied at start-up, before anything sets it, and on shutdown, in %.</summary>
    public double SafeLevel { get; set; } = 100;
}
