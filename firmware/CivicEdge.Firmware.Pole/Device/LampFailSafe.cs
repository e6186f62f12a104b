using CivicEdge.Firmware.Core.Boot;
using CivicEdge.Firmware.Core.Hal;

namespace CivicEdge.Firmware.Pole.Device;

/// <summary>Safe mode for a street lamp: relay closed, full light (10 V). A dark street is the unsafe state.</summary>
public sealed class LampFailSafe : IFailSafe
{
    private readonly IDigitalOutput _relay;
    private readonly IPwmOutput _dimming;

    public LampFailSafe(IDigitalOutput relay, IPwmOutput dimming)
    {
        _relay = relay;
        _dimming = dimming;
    }

    public void HoldFailSafe()
    {
        _relay.Write(true);
        _dimming.DutyCycle = 1.0;
    }
}
