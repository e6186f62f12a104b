namespace CivicEdge.Fleet.Core.Ota;

/// <summary>What the fleet knows now of devices' versions and health, as a campaign judges them.</summary>
public interface IDeviceHealthSamples
{
    /// <summary>A sample for each of <paramref name="devices"/> the fleet knows; an unknown device is left out.</summary>
    Task<IReadOnlyDictionary<string, DeviceHealthSample>> SampleAsync(IReadOnlyCollection<string> devices, CancellationToken cancellationToken);
}
