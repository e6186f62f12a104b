using CivicEdge.Firmware.Core.Hal;

namespace CivicEdge.Firmware.Host;

/// <summary>An output pin that remembers what the firmware wrote and how often it changed (a relay's switching cycles).</summary>
public sealed class SimulatedDigitalOutput : IDigitalOutput
{
    private volatile bool _state;

    public bool State => _state;

    /// <summary>How many times the level changed.</summary>
    public int Transitions { get; private set; }

    public void Write(bool high)
    {
        if (high != _state)
        {
            Transitions++;
        }

        _state = high;
    }
}
