namespace CivicEdge.Fleet.Contracts.Ledger;

/// <summary>
/// One device as <c>GET /api/devices/{id}</c> shows it: the fields the endpoint always had, from telemetry, and the
/// ledger entry when there is one.
/// </summary>
/// <param name="Id">The unified device code.</param>
/// <param name="Model">The ledger's model, else the one telemetry named.</param>
/// <param name="Gateway">The ledger's gateway, else the one it reported through.</param>
/// <param name="FirstSeen">When the fleet first heard from it; null when it has not reported yet.</param>
/// <param name="LastSeen">The timestamp of its newest reading.</param>
/// <param name="Readings">How many readings the fleet holds for it.</param>
/// <param name="Registered">Whether the ledger has it.</param>
/// <param name="Ledger">The ledger entry; null when not registered.</param>
/// <param name="Credentials">Its credentials (never a secret); empty when not registered.</param>
public sealed record DeviceDetails(
    string Id,
    string? Model,
    string? Gateway,
    DateTimeOffset? FirstSeen,
    DateTimeOffset? LastSeen,
    long Readings,
    bool Registered,
    LedgerDevice? Ledger,
    IReadOnlyList<CredentialSummary> Credentials);
