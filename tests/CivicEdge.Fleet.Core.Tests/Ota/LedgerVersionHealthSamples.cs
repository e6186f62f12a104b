using CivicEdge.Fleet.Core.Ledger;
using CivicEdge.Fleet.Core.Ota;

namespace CivicEdge.Fleet.Core.Tests.Ota;

/// <summary>Healthy devices on the version the ledger holds for them, as the fleet samples field devices.</summary>
internal sealed class LedgerVersionHealthSamples(IDeviceLedgerStore ledger) : IDeviceHealthSamples
{
    public async Task<IReadOnlyDictionary<string, DeviceHealthSample>> SampleAsync(IReadOnlyCollection<string> devices, CancellationToken cancellationToken)
    {
        var samples = new Dictionary<string, DeviceHealthSample>(StringComparer.Ordinal);
        foreach (var device in devices)
        {
            if (await ledger.FindDeviceAsync(device, cancellationToken) is { } entry)
                samples[device] = new DeviceHealthSample(entry.Firmware, Healthy: true);
        }
        return samples;
    }
}
