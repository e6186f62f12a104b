namespace CivicEdge.Fleet.Core.Access;

/// <summary>
/// Where people's API keys are kept (hashed). One contract, several engines, like <see cref="IFleetStore"/>; every
/// implementation runs the same contract tests.
/// </summary>
public interface IApiKeyStore
{
    /// <summary>Adds a key; false (and nothing changed) when a key with its id exists.</summary>
    Task<bool> AddKeyAsync(ApiKey key, CancellationToken cancellationToken);

    /// <summary>The key with <paramref name="id"/>, or null.</summary>
    Task<ApiKey?> FindKeyAsync(string id, CancellationToken cancellationToken);

    /// <summary>Every key, revoked ones included, ordered by creation time then id.</summary>
    Task<IReadOnlyList<ApiKey>> ListKeysAsync(CancellationToken cancellationToken);

    /// <summary>Revokes a key for good; false when there is no such key or it was revoked before (the first time stands).</summary>
    Task<bool> RevokeKeyAsync(string id, DateTimeOffset revokedAt, CancellationToken cancellationToken);

    /// <summary>Notes that the key authenticated a request at <paramref name="usedAt"/>; an earlier time than the one held is ignored.</summary>
    Task RecordKeyUseAsync(string id, DateTimeOffset usedAt, CancellationToken cancellationToken);
}
