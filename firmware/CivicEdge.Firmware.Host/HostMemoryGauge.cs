using CivicEdge.Firmware.Core.Uplink;

namespace CivicEdge.Firmware.Host;

/// <summary>The managed heap of the host process, standing in for a device's in civicsim's virtual poles.</summary>
public sealed class HostMemoryGauge : IMemoryGauge
{
    public long TotalBytes => GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;

    public long FreeBytes => TotalBytes - GC.GetTotalMemory(forceFullCollection: false);
}
