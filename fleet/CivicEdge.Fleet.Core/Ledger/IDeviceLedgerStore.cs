using CivicEdge.Fleet.Contracts.Ledger;
using CivicEdge.Fleet.Core.Provisioning;

namespace CivicEdge.Fleet.Core.Ledger;

/// <summary>
/// Where the ledger keeps devices, their credentials and claim tokens. One contract, several engines (embedded LiteDB,
/// PostgreSQL); every implementation runs the same contract tests (<c>DeviceLedgerStoreContractTests</c>).
/// </summary>
/// <remarks>
/// Codes, tenants and ids are compared ordinally. Every time goes in and comes out as UTC, kept to the millisecond at
/// least. Changes to a device are optimistic: each write names the revision it read, and a store refuses the write when
/// the stored revision differs, so two people editing one device never silently overwrite each other.
/// </remarks>
public interface IDeviceLedgerStore
{
    /// <summary>Adds a new device; false when its code is in the ledger already (in any state, decommissioned too).</summary>
    Task<bool> TryAddDeviceAsync(LedgerDevice device, CancellationToken cancellationToken);

    /// <summary>The device with this code, or null.</summary>
    Task<LedgerDevice?> FindDeviceAsync(string code, CancellationToken cancellationToken);

    /// <summary>
    /// Replaces a device with <paramref name="device"/> if its stored revision is still <paramref name="expectedRevision"/>;
    /// false (and nothing written) when it is not, or the device is unknown.
    /// </summary>
    Task<bool> TryUpdateDeviceAsync(LedgerDevice device, long expectedRevision, CancellationToken cancellationToken);

    /// <summary>
    /// The owners of the devices of <paramref name="codes"/> that the ledger has, in one read: what tenant scope filters
    /// lists by. Codes the ledger lacks are left out.
    /// </summary>
    Task<IReadOnlyDictionary<string, string>> FindTenantsAsync(IReadOnlyCollection<string> codes, CancellationToken cancellationToken);

    /// <summary>The devices <see cref="DeviceQuery.Matches"/> selects, ordered by code.</summary>
    Task<IReadOnlyList<LedgerDevice>> QueryDevicesAsync(DeviceQuery query, CancellationToken cancellationToken);

    /// <summary>Adds a credential; its id is new.</summary>
    Task AddCredentialAsync(DeviceCredential credential, CancellationToken cancellationToken);

    /// <summary>Replaces a stored credential (revocation, end of grace); false when its id is unknown.</summary>
    Task<bool> TryUpdateCredentialAsync(DeviceCredential credential, CancellationToken cancellationToken);

    /// <summary>The credentials of one device, oldest first.</summary>
    Task<IReadOnlyList<DeviceCredential>> ListCredentialsAsync(string device, CancellationToken cancellationToken);

    /// <summary>Every credential of every device, ordered by device then issue time: for exporting a broker's files.</summary>
    Task<IReadOnlyList<DeviceCredential>> ListAllCredentialsAsync(CancellationToken cancellationToken);

    /// <summary>The certificate credential with this thumbprint, or null.</summary>
    Task<DeviceCredential?> FindCredentialByThumbprintAsync(string thumbprint, CancellationToken cancellationToken);

    /// <summary>Adds a claim token.</summary>
    Task AddClaimTokenAsync(ClaimTokenRecord token, CancellationToken cancellationToken);

    /// <summary>The claim token with this hash, or null.</summary>
    Task<ClaimTokenRecord?> FindClaimTokenAsync(string hash, CancellationToken cancellationToken);

    /// <summary>
    /// In one transaction: spends the token <paramref name="tokenHash"/> for <paramref name="device"/> (its code added to
    /// <see cref="ClaimTokenRecord.Claimed"/>) and replaces the device as <see cref="TryUpdateDeviceAsync"/> does — or
    /// neither, saying why. A token is refused when unknown, expired at <paramref name="at"/>, or already used: a
    /// device token once any device was claimed with it, a batch token once this device was.
    /// </summary>
    Task<ClaimCommit> CommitClaimAsync(
        string tokenHash, LedgerDevice device, long expectedRevision, DateTimeOffset at, CancellationToken cancellationToken);
}
