using CivicEdge.Firmware.Core.Boot;
using CivicEdge.Firmware.Host;

namespace CivicEdge.Firmware.Core.Tests.Boot;

/// <summary>A pole's fail-safe: the lamp relay on.</summary>
internal sealed class FakeFailSafe(SimulatedDigitalOutput lamp) : IFailSafe
{
    public int Holds { get; private set; }

    public void HoldFailSafe()
    {
        Holds++;
        lamp.Write(true);
    }
}
