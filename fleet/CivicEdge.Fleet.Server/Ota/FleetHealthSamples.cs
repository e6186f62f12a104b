using CivicEdge.Fleet.Contracts.Health;
using CivicEdge.Fleet.Contracts.Ledger;
using CivicEdge.Fleet.Core;
using CivicEdge.Fleet.Core.Health;
using CivicEdge.Fleet.Core.Ota;

namespace CivicEdge.Fleet.Server.Ota;

/// <summary>
/// Versions and health as the fleet sees them: a gateway's version from its reported twin (what the running software
/// says of itself), a field device's from the ledger (written from the reports its gateway relays); healthy when the
/// fleet's verdict is ok, or degraded for firmware drift alone.
/// </summary>
/// <remarks>
/// Drift is what a campaign cures, not a fault of the device: while a rollout runs, the devices it has updated are the
/// ones that differ from the version most of their model run, so every canary would be judged unhealthy by it. The
/// health window asks whether the device runs the new version and answers; the drift stays in the fleet's verdict.
/// </remarks>
internal sealed class FleetHealthSamples(FleetHealth health, IFleetStore store) : IDeviceHealthSamples
{
    /// <summary>The reason code <see cref="HealthAssessor"/> gives a device that runs another version than its model's target.</summary>
    private const string FirmwareDrift = "firmware_drift";

    public async Task<IReadOnlyDictionary<string, DeviceHealthSample>> SampleAsync(IReadOnlyCollection<string> devices, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(devices);
        var samples = new Dictionary<string, DeviceHealthSample>(StringComparer.Ordinal);
        foreach (var (device, status) in await health.AssessManyAsync(devices, cancellationToken).ConfigureAwait(false))
        {
            var version = status.Kind == DeviceKind.Gateway
                ? (await store.GetTwinAsync(device, cancellationToken).ConfigureAwait(false))?.Reported?.SoftwareVersion ?? status.Firmware
                : status.Firmware;
            samples[device] = new DeviceHealthSample(version, status.Verdict == DeviceVerdict.Ok || OnlyDrifted(status));
        }
        return samples;
    }

    private static bool OnlyDrifted(DeviceHealthStatus status) =>
        status.Verdict == DeviceVerdict.Degraded && status.Reasons.Count > 0 && status.Reasons.All(reason => reason.Code == FirmwareDrift);
}
