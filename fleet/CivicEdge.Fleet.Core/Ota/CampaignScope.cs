using CivicEdge.Fleet.Contracts.Ledger;
using CivicEdge.Fleet.Core.Ledger;

namespace CivicEdge.Fleet.Core.Ota;

/// <summary>
/// Which devices a campaign reaches, as a ledger query: every filter given must hold (null means any). Devices that
/// match later (installed, moved, tagged) join the campaign's last wave while it runs.
/// </summary>
/// <param name="Kind">The kind of device; null for any kind the artifact's hardware models fit.</param>
/// <param name="Model">One hardware model of the artifact's; null for all of them.</param>
/// <param name="Tenant">One tenant's devices; null for every tenant the creator may reach.</param>
/// <param name="District">One district (compared without regard to case).</param>
/// <param name="Tags">Every one of these tags.</param>
/// <param name="FromVersion">Only devices the ledger says run this version.</param>
public sealed record CampaignScope(DeviceKind? Kind, string? Model, string? Tenant, string? District, IReadOnlyList<string>? Tags, string? FromVersion)
{
    /// <summary>The ledger query; the campaign leaves out devices decommissioned or in maintenance (see <see cref="CampaignRunner.ResolveAsync"/>).</summary>
    public DeviceQuery ToQuery() => new()
    {
        Kind = Kind,
        Model = Model,
        Tenant = Tenant,
        District = District,
        Tags = Tags is { Count: > 0 } ? Tags.Select(tag => tag.ToLowerInvariant()).ToList() : null,
        Firmware = FromVersion,
    };
}
