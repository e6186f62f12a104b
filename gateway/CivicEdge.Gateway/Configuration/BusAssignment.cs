namespace CivicEdge.Gateway.Configuration;

/// <summary>One bus and the devices configured on it, in configuration order.</summary>
/// <param name="Link">The bus.</param>
/// <param name="Devices">The devices on it; never empty.</param>
public sealed record BusAssignment(ModbusLink Link, IReadOnlyList<DeviceOptions> Devices);
