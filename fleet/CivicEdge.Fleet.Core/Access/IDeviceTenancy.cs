namespace CivicEdge.Fleet.Core.Access;

/// <summary>
/// Which tenant owns a device: what tenant scoping asks of the device ledger. A device the ledger does not know, or
/// has not given an owner yet, has no tenant (null) and is seen by city-wide admins only.
/// </summary>
public interface IDeviceTenancy
{
    /// <summary>The tenant owning <paramref name="deviceId"/> (a gateway or a field device), or null when none is known.</summary>
    Task<string?> FindTenantAsync(string deviceId, CancellationToken cancellationToken);

    /// <summary>
    /// The owners of many devices at once, for filtering a list: one entry per device of <paramref name="deviceIds"/>
    /// that has a tenant; devices without one are left out.
    /// </summary>
    Task<IReadOnlyDictionary<string, string>> FindTenantsAsync(IReadOnlyCollection<string> deviceIds, CancellationToken cancellationToken);
}
