using System.Threading;
using CivicEdge.Firmware.Core.Hal;

namespace CivicEdge.Firmware.Pole.Device;

/// <summary>The main loop's pause between passes.</summary>
public sealed class ThreadSleep : IDelay
{
    public void Sleep(int milliseconds) => Thread.Sleep(milliseconds);
}
