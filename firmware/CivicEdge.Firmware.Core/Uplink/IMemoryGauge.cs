namespace CivicEdge.Firmware.Core.Uplink;

/// <summary>The managed heap as the runtime sees it, for the health report (nanoFramework: <c>GC.Run(false)</c> returns the free bytes).</summary>
public interface IMemoryGauge
{
    /// <summary>Bytes of managed heap free now.</summary>
    long FreeBytes { get; }

    /// <summary>Bytes of managed heap in all.</summary>
    long TotalBytes { get; }
}
