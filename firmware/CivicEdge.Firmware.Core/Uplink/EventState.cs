namespace CivicEdge.Firmware.Core.Uplink;

/// <summary>Where a condition stands: an alarm is raised once and cleared once, an event merely occurs.</summary>
public enum EventState
{
    Raised,
    Cleared,
    Occurred,
}
