using CivicEdge.Fleet.Contracts.Ledger;
using CivicEdge.Fleet.Core.Ledger;
using CivicEdge.Fleet.Core.Provisioning;

namespace CivicEdge.Fleet.Core.Tests.Ledger;

/// <summary>The ledger store's contract in memory: optimistic revisions, claims spent with the device in one step.</summary>
internal sealed class InMemoryDeviceLedgerStore : IDeviceLedgerStore
{
    private readonly Dictionary<string, LedgerDevice> _devices = new(StringComparer.Ordinal);
    private readonly List<DeviceCredential> _credentials = [];
    private readonly Dictionary<string, ClaimTokenRecord> _tokens = new(StringComparer.Ordinal);

    /// <summary>Runs before the next device update, as another request would that got there first.</summary>
    public Action? BeforeNextUpdate { get; set; }

    public IReadOnlyList<DeviceCredential> Credentials => _credentials;

    public Task<bool> TryAddDeviceAsync(LedgerDevice device, CancellationToken cancellationToken) =>
        Task.FromResult(_devices.TryAdd(device.Code, device));

    public Task<LedgerDevice?> FindDeviceAsync(string code, CancellationToken cancellationToken) =>
        Task.FromResult(_devices.GetValueOrDefault(code));

    public Task<IReadOnlyDictionary<string, string>> FindTenantsAsync(IReadOnlyCollection<string> codes, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyDictionary<string, string>>(codes
            .Where(_devices.ContainsKey)
            .Distinct(StringComparer.Ordinal)
            .ToDictionary(code => code, code => _devices[code].Tenant, StringComparer.Ordinal));

    public Task<bool> TryUpdateDeviceAsync(LedgerDevice device, long expectedRevision, CancellationToken cancellationToken)
    {
        var interfere = BeforeNextUpdate;
        BeforeNextUpdate = null;
        interfere?.Invoke();
        return Task.FromResult(Replace(device, expectedRevision));
    }

    /// <summary>Replaces a device as another writer would, raising its revision.</summary>
    public void Overwrite(Func<LedgerDevice, LedgerDevice> change, string code)
    {
        var held = _devices[code];
        _devices[code] = change(held) with { Revision = held.Revision + 1 };
    }

    public Task<IReadOnlyList<LedgerDevice>> QueryDevicesAsync(DeviceQuery query, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<LedgerDevice>>(_devices.Values.Where(query.Matches).OrderBy(device => device.Code, StringComparer.Ordinal).ToList());

    public Task AddCredentialAsync(DeviceCredential credential, CancellationToken cancellationToken)
    {
        _credentials.Add(credential);
        return Task.CompletedTask;
    }

    public Task<bool> TryUpdateCredentialAsync(DeviceCredential credential, CancellationToken cancellationToken)
    {
        var index = _credentials.FindIndex(held => held.Id == credential.Id);
        if (index < 0)
            return Task.FromResult(false);
        _credentials[index] = credential;
        return Task.FromResult(true);
    }

    public Task<IReadOnlyList<DeviceCredential>> ListCredentialsAsync(string device, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<DeviceCredential>>(_credentials.Where(credential => credential.Device == device).ToList());

    public Task<IReadOnlyList<DeviceCredential>> ListAllCredentialsAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<DeviceCredential>>(_credentials.OrderBy(credential => credential.Device, StringComparer.Ordinal).ToList());

    public Task<DeviceCredential?> FindCredentialByThumbprintAsync(string thumbprint, CancellationToken cancellationToken) =>
        Task.FromResult(_credentials.FirstOrDefault(credential => credential.Thumbprint == thumbprint));

    public Task AddClaimTokenAsync(ClaimTokenRecord token, CancellationToken cancellationToken)
    {
        _tokens.Add(token.Hash, token);
        return Task.CompletedTask;
    }

    public Task<ClaimTokenRecord?> FindClaimTokenAsync(string hash, CancellationToken cancellationToken) =>
        Task.FromResult(_tokens.GetValueOrDefault(hash));

    public Task<ClaimCommit> CommitClaimAsync(string tokenHash, LedgerDevice device, long expectedRevision, DateTimeOffset at, CancellationToken cancellationToken)
    {
        if (!_tokens.TryGetValue(tokenHash, out var token))
            return Task.FromResult(ClaimCommit.UnknownToken);
        if (at >= token.ExpiresAt)
            return Task.FromResult(ClaimCommit.Expired);
        if (token.Device is not null ? token.Claimed.Count > 0 : token.Claimed.Contains(device.Code))
            return Task.FromResult(ClaimCommit.AlreadyUsed);
        var interfere = BeforeNextUpdate;
        BeforeNextUpdate = null;
        interfere?.Invoke();
        if (!Replace(device, expectedRevision))
            return Task.FromResult(ClaimCommit.DeviceChanged);
        _tokens[tokenHash] = token with { Claimed = [.. token.Claimed, device.Code] };
        return Task.FromResult(ClaimCommit.Claimed);
    }

    private bool Replace(LedgerDevice device, long expectedRevision)
    {
        if (!_devices.TryGetValue(device.Code, out var held) || held.Revision != expectedRevision)
            return false;
        _devices[device.Code] = device;
        return true;
    }
}
