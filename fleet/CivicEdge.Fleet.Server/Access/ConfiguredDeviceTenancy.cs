using CivicEdge.Fleet.Core.Access;
using Microsoft.Extensions.Options;

namespace CivicEdge.Fleet.Server.Access;

/// <summary>
/// Device owners from configuration (<c>Fleet:Access:DeviceTenants</c>), until the device ledger keeps them; a device
/// not listed has no tenant, so only city-wide admins see it.
/// </summary>
internal sealed class ConfiguredDeviceTenancy(IOptions<AccessOptions> options) : IDeviceTenancy
{
    private readonly Dictionary<string, string> _tenants = new(options.Value.DeviceTenants, StringComparer.Ordinal);

    public Task<string?> FindTenantAsync(string deviceId, CancellationToken cancellationToken) =>
        Task.FromResult(_tenants.GetValueOrDefault(deviceId));

    public Task<IReadOnlyDictionary<string, string>> FindTenantsAsync(IReadOnlyCollection<string> deviceIds, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyDictionary<string, string>>(deviceIds
            .Where(_tenants.ContainsKey)
            .Distinct(StringComparer.Ordinal)
            .ToDictionary(id => id, id => _tenants[id], StringComparer.Ordinal));
}
