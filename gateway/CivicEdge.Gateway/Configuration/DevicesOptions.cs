namespace CivicEdge.Gateway.Configuration;

/// <summary>The top-level <c>Devices</c> and <c>Buses</c> arrays.</summary>
public sealed class DevicesOptions
{
    public const string SectionName = "Devices";

    public const string BusesSectionName = "Buses";

    public IList<DeviceOptions> Devices { get; set; } = [];

    /// <summary>The buses devices name in their <c>Bus</c> key; a device with an <c>Endpoint</c> needs none.</summary>
    public IList<BusOptions> Buses { get; set; } = [];
}
