using CivicEdge.Gateway.Configuration;
using CivicEdge.Hardware;

namespace CivicEdge.Gateway.Acquisition;

/// <summary>A bus and the specs of its devices, in configuration order: what <see cref="ReconfigurationPlan"/> compares.</summary>
/// <param name="Link">The bus.</param>
/// <param name="Devices">Its devices.</param>
public sealed record BusSpec(ModbusLink Link, IReadOnlyList<DeviceSpec> Devices)
{
    /// <summary>The spec of a validated bus assignment whose profiles are in <paramref name="profiles"/>.</summary>
    public static BusSpec Of(BusAssignment assignment, ProfileCatalog profiles)
    {
        ArgumentNullException.ThrowIfNull(assignment);
        ArgumentNullException.ThrowIfNull(profiles);
        return new BusSpec(assignment.Link, [.. assignment.Devices.Select(d => DeviceSpec.Of(d, profiles.Get(d.Profile)))]);
    }
}
