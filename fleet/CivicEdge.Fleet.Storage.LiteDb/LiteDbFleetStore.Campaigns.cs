using CivicEdge.Fleet.Core.Ota;
using LiteDB;
using JsonSerializer = System.Text.Json.JsonSerializer;

namespace CivicEdge.Fleet.Storage.LiteDb;

/// <summary>
/// OTA campaigns in <c>ota_campaigns</c>: one document per campaign with its scope, tenant, creator, revision and its state as
/// JSON (<see cref="CampaignJson"/>). The revision check and the write happen under the store's lock, so a replace at a
/// stale revision never lands.
/// </summary>
public sealed partial class LiteDbFleetStore : ICampaignStore
{
    private const string CampaignsName = "ota_campaigns";

    private ILiteCollection<BsonDocument> _campaigns = null!;

    public Task<StoredCampaign> AddCampaignAsync(CampaignSnapshot campaign, CampaignScope scope, string? tenant, string createdBy, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(campaign);
        ArgumentNullException.ThrowIfNull(scope);
        ArgumentException.ThrowIfNullOrEmpty(createdBy);
        StoreKeys.RequireName(campaign.Id, nameof(campaign));
        return Task.FromResult(Run(cancellationToken, () =>
        {
            if (_campaigns.FindById(campaign.Id) is not null)
                throw new InvalidOperationException($"A campaign with id '{campaign.Id}' exists; nothing was changed.");
            var stored = new StoredCampaign(campaign, scope, tenant, createdBy, 1);
            _campaigns.Insert(ToDocument(stored));
            return stored;
        }));
    }

    public Task<StoredCampaign?> FindCampaignAsync(string id, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(id);
        return Task.FromResult(Run(cancellationToken, () =>
            id.Length > 0 && _campaigns.FindById(id) is { } document ? ToCampaign(document) : null));
    }

    public Task<IReadOnlyList<StoredCampaign>> ListCampaignsAsync(CancellationToken cancellationToken) =>
        Task.FromResult(Run<IReadOnlyList<StoredCampaign>>(cancellationToken, () => _campaigns.FindAll()
            .Select(ToCampaign)
            .OrderByDescending(stored => stored.Campaign.CreatedAt)
            .ThenBy(stored => stored.Id, StringComparer.Ordinal)
            .ToList()));

    public Task<StoredCampaign?> ReplaceCampaignAsync(CampaignSnapshot campaign, long expectedRevision, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(campaign);
        return Task.FromResult(Run(cancellationToken, () =>
        {
            if (campaign.Id.Length == 0 || _campaigns.FindById(campaign.Id) is not { } document)
                throw new KeyNotFoundException($"No campaign '{campaign.Id}' is stored.");
            var current = ToCampaign(document);
            if (current.Revision != expectedRevision)
                return null;
            var replaced = current with { Campaign = campaign, Revision = current.Revision + 1 };
            _campaigns.Update(ToDocument(replaced));
            return replaced;
        }));
    }

    /// <summary>Opens the campaign collection with the rest of the store, before anyone reads it.</summary>
    private void OpenCampaignCollection()
    {
        _campaigns = _database.GetCollection(CampaignsName, BsonAutoId.ObjectId);
        CreateCollection(_campaigns);
    }

    private static BsonDocument ToDocument(StoredCampaign stored) => new()
    {
        ["_id"] = stored.Id,
        ["tenant"] = stored.Tenant is null ? BsonValue.Null : new BsonValue(stored.Tenant),
        ["createdBy"] = stored.CreatedBy,
        ["revision"] = stored.Revision,
        ["scope"] = JsonSerializer.Serialize(stored.Scope, CampaignJson.Default.CampaignScope),
        ["campaign"] = JsonSerializer.Serialize(stored.Campaign, CampaignJson.Default.CampaignSnapshot),
    };

    private static StoredCampaign ToCampaign(BsonDocument document) => new(
        JsonSerializer.Deserialize(document["campaign"].AsString, CampaignJson.Default.CampaignSnapshot)
            ?? throw new InvalidDataException($"The stored state of campaign '{document["_id"].AsString}' is null."),
        JsonSerializer.Deserialize(document["scope"].AsString, CampaignJson.Default.CampaignScope)
            ?? throw new InvalidDataException($"The stored scope of campaign '{document["_id"].AsString}' is null."),
        NullableString(document["tenant"]),
        document["createdBy"].AsString,
        document["revision"].AsInt64);
}
