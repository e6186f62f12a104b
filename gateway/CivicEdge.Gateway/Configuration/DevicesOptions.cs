namespace CivicEdge.Gateway.Configuration;

/// <summary>The top-level <c>Devices</c> array.</summary>
public sealed class DevicesOptions
{
    public const string SectionName = "Devices";

    public IList<DeviceOptions> Devices { get; set; } = [];
}
