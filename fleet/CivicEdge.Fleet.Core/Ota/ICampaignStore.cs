namespace CivicEdge.Fleet.Core.Ota;

/// <summary>
/// Where the fleet keeps its OTA campaigns. One contract, several engines (LiteDB on one node, PostgreSQL for stateless
/// nodes), each running the same contract tests. Writes are guarded by the campaign's revision, so the leader's
/// scheduler and a person's pause or retry on any node never lose each other's changes.
/// </summary>
public interface ICampaignStore
{
    /// <summary>Stores a new campaign at revision 1 and returns it as stored.</summary>
    /// <exception cref="InvalidOperationException">A campaign with this id exists; nothing was changed.</exception>
    Task<StoredCampaign> AddCampaignAsync(CampaignSnapshot campaign, CampaignScope scope, string? tenant, string createdBy, CancellationToken cancellationToken);

    /// <summary>The campaign with <paramref name="id"/>, or null.</summary>
    Task<StoredCampaign?> FindCampaignAsync(string id, CancellationToken cancellationToken);

    /// <summary>Every campaign, newest first.</summary>
    Task<IReadOnlyList<StoredCampaign>> ListCampaignsAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Replaces the campaign's state when it is still at <paramref name="expectedRevision"/>; its scope, tenant and creator stay.
    /// </summary>
    /// <returns>The campaign as stored now, at the next revision; null when another writer moved it on first (nothing was changed).</returns>
    /// <exception cref="KeyNotFoundException">No campaign has this id.</exception>
    Task<StoredCampaign?> ReplaceCampaignAsync(CampaignSnapshot campaign, long expectedRevision, CancellationToken cancellationToken);
}
