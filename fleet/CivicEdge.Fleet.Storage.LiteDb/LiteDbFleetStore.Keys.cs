using CivicEdge.Fleet.Contracts.Access;
using CivicEdge.Fleet.Core.Access;
using LiteDB;

namespace CivicEdge.Fleet.Storage.LiteDb;

/// <summary>People's API keys in the fleet's LiteDB file, keyed by their public id; the secret's hash, never the secret.</summary>
public sealed partial class LiteDbFleetStore : IApiKeyStore
{
    private const string KeysName = "apikeys";

    private ILiteCollection<BsonDocument> _keys = null!;

    public Task<bool> AddKeyAsync(ApiKey key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        StoreKeys.RequireName(key.Id, nameof(key));
        return Task.FromResult(Run(cancellationToken, () =>
        {
            if (_keys.FindById(key.Id) is not null)
                return false;
            _keys.Insert(ToDocument(key));
            return true;
        }));
    }

    public Task<ApiKey?> FindKeyAsync(string id, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(id);
        return Task.FromResult(Run(cancellationToken, () =>
            id.Length > 0 && _keys.FindById(id) is { } document ? ToApiKey(document) : null));
    }

    public Task<IReadOnlyList<ApiKey>> ListKeysAsync(CancellationToken cancellationToken) =>
        Task.FromResult(Run<IReadOnlyList<ApiKey>>(cancellationToken, () => _keys.FindAll()
            .Select(ToApiKey)
            .OrderBy(key => key.CreatedAt)
            .ThenBy(key => key.Id, StringComparer.Ordinal)
            .ToList()));

    public Task<bool> RevokeKeyAsync(string id, DateTimeOffset revokedAt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(id);
        return Task.FromResult(Run(cancellationToken, () =>
        {
            if (id.Length == 0 || _keys.FindById(id) is not { } document || !document["revokedAt"].IsNull)
                return false;
            document["revokedAt"] = ToStoredTime(revokedAt);
            return _keys.Update(document);
        }));
    }

    public Task RecordKeyUseAsync(string id, DateTimeOffset usedAt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(id);
        Run(cancellationToken, () =>
        {
            if (id.Length == 0 || _keys.FindById(id) is not { } document)
                return;
            var time = ToStoredTime(usedAt);
            if (!document["lastUsedAt"].IsNull && document["lastUsedAt"].AsDateTime >= time)
                return;
            document["lastUsedAt"] = time;
            _keys.Update(document);
        });
        return Task.CompletedTask;
    }

    private static BsonDocument ToDocument(ApiKey key) => new()
    {
        ["_id"] = key.Id,
        ["secretHash"] = key.SecretHash,
        ["name"] = key.Name,
        ["role"] = key.Role.ToString(),
        ["tenants"] = new BsonArray(key.Tenants.Select(tenant => new BsonValue(tenant))),
        ["allTenants"] = key.AllTenants,
        ["createdAt"] = ToStoredTime(key.CreatedAt),
        ["createdBy"] = key.CreatedBy,
        ["expiresAt"] = key.ExpiresAt is { } expires ? ToStoredTime(expires) : BsonValue.Null,
        ["lastUsedAt"] = key.LastUsedAt is { } used ? ToStoredTime(used) : BsonValue.Null,
        ["revokedAt"] = key.RevokedAt is { } revoked ? ToStoredTime(revoked) : BsonValue.Null,
    };

    private static ApiKey ToApiKey(BsonDocument document) => new(
        document["_id"].AsString,
        document["secretHash"].AsString,
        document["name"].AsString,
        Enum.Parse<FleetRole>(document["role"].AsString),
        document["tenants"].AsArray.Select(tenant => tenant.AsString).ToList(),
        document["allTenants"].AsBoolean,
        FromStoredTime(document["createdAt"]),
        document["createdBy"].AsString,
        NullableTime(document["expiresAt"]),
        NullableTime(document["lastUsedAt"]),
        NullableTime(document["revokedAt"]));

    private static DateTimeOffset? NullableTime(BsonValue value) => value.IsNull ? null : FromStoredTime(value);
}
