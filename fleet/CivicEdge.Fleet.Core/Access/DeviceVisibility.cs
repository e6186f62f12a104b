namespace CivicEdge.Fleet.Core.Access;

/// <summary>Applies tenant scope to devices: whether a caller sees one, and which of a list it sees.</summary>
public sealed class DeviceVisibility(IDeviceTenancy tenancy)
{
    /// <summary>The device's tenant, and whether <paramref name="caller"/> sees the device.</summary>
    public async Task<(bool Visible, string? Tenant)> CheckAsync(FleetCaller caller, string deviceId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(deviceId);
        var tenant = await tenancy.FindTenantAsync(deviceId, cancellationToken).ConfigureAwait(false);
        return (caller.Sees(tenant), tenant);
    }

    /// <summary>The items of <paramref name="items"/> whose device <paramref name="caller"/> sees, in their order.</summary>
    public async Task<IReadOnlyList<T>> FilterAsync<T>(
        FleetCaller caller,
        IReadOnlyList<T> items,
        Func<T, string> deviceOf,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(items);
        ArgumentNullException.ThrowIfNull(deviceOf);

        // Nothing to look up for those who see everything, including devices with no tenant.
        if (caller.Sees(null))
            return items;

        var ids = items.Select(deviceOf).Distinct(StringComparer.Ordinal).ToList();
        var tenants = await tenancy.FindTenantsAsync(ids, cancellationToken).ConfigureAwait(false);
        return items.Where(item => caller.Sees(tenants.GetValueOrDefault(deviceOf(item)))).ToList();
    }
}
