using CivicEdge.Fleet.Contracts.Health;
using CivicEdge.Fleet.Contracts.Ledger;
using CivicEdge.Fleet.Core;
using CivicEdge.Fleet.Core.Health;
using CivicEdge.Fleet.Core.Ota;

namespace CivicEdge.Fleet.Server.Ota;

/// <summary>
/// Versions and health as the fleet sees them: a gateway's version from its reported twin (what the running software
/// says of itself), a field device's from the ledger (written from the reports its gateway relays); healthy when the
/// fleet's verdict is ok.
/// </summary>
internal sealed class FleetHealthSamples(FleetHealth health, IFleetStore store) : IDeviceHealthSamples
{
    public async Task<IReadOnlyDictionary<string, DeviceHealthSample>> SampleAsync(IReadOnlyCollection<string> devices, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(devices);
        var samples = new Dictionary<string, DeviceHealthSample>(StringComparer.Ordinal);
        foreach (var device in devices)
        {
            if (await health.AssessAsync(device, cancellationToken).ConfigureAwait(false) is not { } status)
                continue;
            var version = status.Kind == DeviceKind.Gateway
                ? (await store.GetTwinAsync(device, cancellationToken).ConfigureAwait(false))?.Reported?.SoftwareVersion ?? status.Firmware
                : status.Firmware;
            samples[device] = new DeviceHealthSample(version, status.Verdict == DeviceVerdict.Ok);
        }
        return samples;
    }
}
