namespace CivicEdge.Firmware.Pole.Diagnostics;

/// <summary>The conditions a pole controller raises and clears, each once per occurrence.</summary>
public enum PoleEvent
{
    /// <summary>The relay is on, ignition is over, and the lamp draws no current.</summary>
    LampFailure = 1,

    /// <summary>The relay does not follow its command: current with the relay off (day burner, welded contact) or a feedback contact that disagrees.</summary>
    RelayFault = 2,

    /// <summary>The driver is too hot; the light is throttled.</summary>
    DriverOvertemperature = 3,

    /// <summary>The pole's service door is open.</summary>
    DoorOpen = 4,

    /// <summary>The pole leans beyond the threshold (vehicle impact, foundation failure).</summary>
    Tilt = 5,
}
