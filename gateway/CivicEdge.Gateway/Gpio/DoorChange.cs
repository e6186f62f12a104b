namespace CivicEdge.Gateway.Gpio;

/// <summary>A door's state: as found at start-up, or as changed.</summary>
/// <param name="Door">The door.</param>
/// <param name="Open">True when the door is open.</param>
/// <param name="At">When the state began (for a change, the first edge of the burst that settled into it).</param>
/// <param name="AtStartUp">True for the state found when the input was opened.</param>
public sealed record DoorChange(DoorContact Door, bool Open, DateTimeOffset At, bool AtStartUp);
