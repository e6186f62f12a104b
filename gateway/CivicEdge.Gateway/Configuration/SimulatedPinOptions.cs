namespace CivicEdge.Gateway.Configuration;

/// <summary>
/// One entry of <c>Gpio:Simulation</c> (only with <c>Gpio:Driver</c> <c>simulated</c>): the field device behind a pin,
/// played on the simulated chip so that a demonstration or a trial installation without hardware shows doors opening and
/// meters turning. The pin rests at its idle level and is driven to its active level for <see cref="Hold"/> every
/// <see cref="Every"/>.
/// </summary>
public sealed class SimulatedPinOptions
{
    /// <summary>The pin the simulated device is wired to.</summary>
    public int? Pin { get; set; }

    /// <summary>How often the device acts: a meter's pulse period, or how often a door is opened.</summary>
    public TimeSpan Every { get; set; }

    /// <summary>How long each action lasts: a pulse's width, or how long the door stays open.</summary>
    public TimeSpan Hold { get; set; }

    /// <summary>True when the device pulls the line low while it acts (a meter's open collector); false to drive it high.</summary>
    public bool ActiveLow { get; set; } = true;
}
