using CivicEdge.Fleet.Core.Ota;

namespace CivicEdge.Fleet.Core.Tests.Ota;

/// <summary>The campaign store's contract in memory: revisions checked on replace.</summary>
internal sealed class InMemoryCampaignStore : ICampaignStore
{
    private readonly Dictionary<string, StoredCampaign> _campaigns = new(StringComparer.Ordinal);

    /// <summary>Runs before the next replace, as a person's change on another node would that got there first.</summary>
    public Func<Task>? BeforeNextReplace { get; set; }

    public Task<StoredCampaign> AddCampaignAsync(CampaignSnapshot campaign, CampaignScope scope, string? tenant, string createdBy, CancellationToken cancellationToken)
    {
        var stored = new StoredCampaign(campaign, scope, tenant, createdBy, 1);
        if (!_campaigns.TryAdd(campaign.Id, stored))
            throw new InvalidOperationException($"A campaign with id '{campaign.Id}' exists; nothing was changed.");
        return Task.FromResult(stored);
    }

    public Task<StoredCampaign?> FindCampaignAsync(string id, CancellationToken cancellationToken) =>
        Task.FromResult(_campaigns.GetValueOrDefault(id));

    public Task<IReadOnlyList<StoredCampaign>> ListCampaignsAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<StoredCampaign>>(_campaigns.Values.OrderByDescending(c => c.Campaign.CreatedAt).ToList());

    public async Task<StoredCampaign?> ReplaceCampaignAsync(CampaignSnapshot campaign, long expectedRevision, CancellationToken cancellationToken)
    {
        if (BeforeNextReplace is { } before)
        {
            BeforeNextReplace = null;
            await before();
        }
        if (!_campaigns.TryGetValue(campaign.Id, out var current))
            throw new KeyNotFoundException($"No campaign '{campaign.Id}' is stored.");
        if (current.Revision != expectedRevision)
            return null;
        return _campaigns[campaign.Id] = current with { Campaign = campaign, Revision = current.Revision + 1 };
    }
}
