using CivicEdge.Firmware.Core.Uplink;

namespace CivicEdge.Firmware.Pole.Device;

/// <summary>The managed heap for the health report: nanoFramework's GC reports the free bytes after a collection.</summary>
public sealed class ManagedHeapGauge : IMemoryGauge
{
    private readonly long _total;

    /// <param name="totalBytes">The managed heap of the firmware image (about 80 KB on an ESP32 without PSRAM).</param>
    public ManagedHeapGauge(long totalBytes)
    {
        _total = totalBytes;
    }

    public long FreeBytes => nanoFramework.Runtime.Native.GC.Run(false);

    public long TotalBytes => _total;
}
