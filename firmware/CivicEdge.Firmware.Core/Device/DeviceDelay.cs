using System.Threading;
using CivicEdge.Firmware.Core.Hal;

namespace CivicEdge.Firmware.Core.Device;

/// <summary>The main loop's sleep: the thread sleeps and the scheduler runs other threads (serial, MQTT).</summary>
public sealed class DeviceDelay : IDelay
{
    public void Sleep(int milliseconds) => Thread.Sleep(milliseconds);
}
