namespace CivicEdge.Gateway.Configuration;

/// <summary>One entry of <c>Gpio:Doors</c>: a door contact reported as a point and as an alarm while the door is open.</summary>
public sealed class DoorContactOptions : GpioInputOptions
{
    /// <summary>
    /// How long the contact must hold a level before it counts: a reed contact bounces for a few milliseconds, and a
    /// cabinet door rattles in the wind.
    /// </summary>
    public TimeSpan Debounce { get; set; } = TimeSpan.FromMilliseconds(50);

    /// <summary><c>info</c>, <c>warning</c>, <c>major</c> or <c>critical</c>: the severity of the door-open alarm.</summary>
    public string Severity { get; set; } = "major";

    /// <summary>The point (0 closed, 1 open) and the alarm code.</summary>
    public string Point { get; set; } = "door_open";
}
