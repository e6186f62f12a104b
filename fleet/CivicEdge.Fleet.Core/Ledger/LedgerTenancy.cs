using CivicEdge.Fleet.Core.Access;

namespace CivicEdge.Fleet.Core.Ledger;

/// <summary>
/// Tenant scope read from the device ledger: a device's tenant is the owner the ledger holds for it. A device the ledger
/// does not have (one that reported telemetry but was never registered) has no tenant, so only city-wide admins see it
/// until someone registers it.
/// </summary>
public sealed class LedgerTenancy(IDeviceLedgerStore store) : IDeviceTenancy
{
    public async Task<string?> FindTenantAsync(string deviceId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(deviceId);
        return (await store.FindDeviceAsync(deviceId, cancellationToken).ConfigureAwait(false))?.Tenant;
    }

    public Task<IReadOnlyDictionary<string, string>> FindTenantsAsync(IReadOnlyCollection<string> deviceIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(deviceIds);
        return deviceIds.Count == 0
            ? Task.FromResult<IReadOnlyDictionary<string, string>>(new Dictionary<string, string>(StringComparer.Ordinal))
            : store.FindTenantsAsync(deviceIds, cancellationToken);
    }
}
