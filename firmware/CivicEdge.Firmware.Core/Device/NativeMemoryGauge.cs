using CivicEdge.Firmware.Core.Uplink;

namespace CivicEdge.Firmware.Core.Device;

/// <summary>
/// The managed heap as nanoFramework's runtime reports it: <c>GC.Run(false)</c> returns the free bytes without
/// compacting. The runtime does not report the heap's size, so it is the board's figure (e.g. about 80 KB on an ESP32
/// without PSRAM).
/// </summary>
public sealed class NativeMemoryGauge : IMemoryGauge
{
    private readonly long _totalBytes;

    /// <param name="totalBytes">The managed heap's size on this board.</param>
    public NativeMemoryGauge(long totalBytes)
    {
        _totalBytes = totalBytes;
    }

    public long FreeBytes
    {
        get { return nanoFramework.Runtime.Native.GC.Run(false); }
    }

    public long TotalBytes
    {
        get { return _totalBytes; }
    }
}
