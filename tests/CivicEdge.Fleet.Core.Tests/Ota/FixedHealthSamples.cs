using CivicEdge.Fleet.Core.Ota;

namespace CivicEdge.Fleet.Core.Tests.Ota;

/// <summary>Health samples a test sets device by device.</summary>
internal sealed class FixedHealthSamples : IDeviceHealthSamples
{
    public Dictionary<string, DeviceHealthSample> Samples { get; } = new(StringComparer.Ordinal);

    public Task<IReadOnlyDictionary<string, DeviceHealthSample>> SampleAsync(IReadOnlyCollection<string> devices, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyDictionary<string, DeviceHealthSample>>(devices
            .Where(Samples.ContainsKey)
            .ToDictionary(d => d, d => Samples[d], StringComparer.Ordinal));
}
