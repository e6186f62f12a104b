namespace CivicEdge.Fleet.Core.Ota;

/// <summary>A campaign as a store keeps it.</summary>
/// <param name="Campaign">Its state.</param>
/// <param name="Scope">The devices it reaches, as created.</param>
/// <param name="Tenant">The tenant it belongs to (its targets were resolved within it); null for an operator's campaign over every tenant.</param>
/// <param name="CreatedBy">Who created it, as the audit log names them.</param>
/// <param name="Revision">
/// Counts the writes, from 1: a writer replaces the campaign only at the revision it read, so a person's pause and the
/// scheduler's step never overwrite each other.
/// </param>
public sealed record StoredCampaign(CampaignSnapshot Campaign, CampaignScope Scope, string? Tenant, string CreatedBy, long Revision)
{
    public string Id => Campaign.Id;
}
