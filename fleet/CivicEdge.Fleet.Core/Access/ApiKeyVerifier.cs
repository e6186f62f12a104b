namespace CivicEdge.Fleet.Core.Access;

/// <summary>
/// Checks the API key a request carries against the store: well formed, known, secret matching, not revoked, not
/// expired; and notes its use, at most once per <see cref="UseRecordingInterval"/> so that reads do not each cost a
/// write.
/// </summary>
public sealed class ApiKeyVerifier(IApiKeyStore store, TimeProvider timeProvider)
{
    public static readonly TimeSpan UseRecordingInterval = TimeSpan.FromMinutes(1);

    public async Task<ApiKeyCheck> CheckAsync(string text, CancellationToken cancellationToken)
    {
        if (!ApiKeyToken.TryParse(text, out var token, out var problem))
            return new ApiKeyCheck(null, $"malformed API key: {problem}");

        var key = await store.FindKeyAsync(token.Id, cancellationToken).ConfigureAwait(false);

        // The same words for an unknown id and a wrong secret: which ids exist is not for a guesser to learn.
        if (key is null || !token.Matches(key.SecretHash))
            return new ApiKeyCheck(null, $"API key {token.Id} is not known to this fleet or its secret does not match");

        var now = timeProvider.GetUtcNow();
        if (key.RevokedAt is { } revoked)
            return new ApiKeyCheck(key, $"API key {key.Id} ({key.Name}) was revoked at {revoked:O}");
        if (key.ExpiresAt is { } expires && now >= expires)
            return new ApiKeyCheck(key, $"API key {key.Id} ({key.Name}) expired at {expires:O}");

        if (key.LastUsedAt is not { } lastUsed || now - lastUsed >= UseRecordingInterval)
            await store.RecordKeyUseAsync(key.Id, now, cancellationToken).ConfigureAwait(false);
        return new ApiKeyCheck(key, null);
    }
}
