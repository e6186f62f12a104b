using CivicEdge.Firmware.Core.Hal;

namespace CivicEdge.Firmware.Host;

/// <summary>An input pin whose level a test or a simulation script sets (a door opens, a pole tilts, a pulse arrives).</summary>
public sealed class SimulatedDigitalInput(bool level = false) : IDigitalInput
{
    private volatile bool _level = level;

    /// <summary>The level the pin reads.</summary>
    public bool Level
    {
        get => _level;
        set => _level = value;
    }

    public bool Read() => _level;
}
