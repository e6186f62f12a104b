namespace CivicEdge.Firmware.Pole.Lighting;

/// <summary>What decides the lamp's state now; the values are those of the SLC-1 status word, bits 4–7.</summary>
public enum ControlMode
{
    /// <summary>Held by an installer or the fleet (maintenance, a decommissioned pole) until released.</summary>
    Manual = 0,

    /// <summary>The astronomical clock and the dimming steps (also the fallback "on" when the time is unknown).</summary>
    Schedule = 1,

    /// <summary>The photocell says whether it is dark.</summary>
    Photocell = 2,

    /// <summary>A gateway or fleet command, for a bounded time.</summary>
    Command = 3,
}
