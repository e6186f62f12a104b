using System.Globalization;
using System.Net.Http.Json;
using CivicEdge.Fleet.Contracts.Access;

namespace CivicEdge.Fleet.Cli;

/// <summary>People's access and the audit log: <c>/api/me</c>, <c>/api/keys</c>, <c>/api/audit</c>.</summary>
public sealed partial class FleetApiClient
{
    public async Task<CallerInfo> GetMeAsync(CancellationToken cancellationToken) =>
        await GetAsync("api/me", AccessJson.Default.CallerInfo, cancellationToken)
            ?? throw new FleetApiException($"{Peer} at {BaseAddress} answered api/me with an empty body.");

    public async Task<IReadOnlyList<ApiKeyInfo>> ListKeysAsync(CancellationToken cancellationToken) =>
        await GetAsync("api/keys", AccessJson.Default.IReadOnlyListApiKeyInfo, cancellationToken) ?? [];

    /// <summary>Makes a key; the answer holds the key itself, which the fleet shows this once.</summary>
    public async Task<IssuedApiKey> CreateKeyAsync(NewApiKey request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        const string path = "api/keys";
        using var content = JsonContent.Create(request, AccessJson.Default.NewApiKey);
        return await SendAsync(path, () => http.PostAsync(path, content, cancellationToken), AccessJson.Default.IssuedApiKey, cancellationToken)
            ?? throw new FleetApiException($"{Peer} at {BaseAddress} answered {path} with an empty body.");
    }

    public async Task<ApiKeyInfo> RevokeKeyAsync(string keyId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(keyId);
        var path = $"api/keys/{Uri.EscapeDataString(keyId)}";
        return await SendAsync(path, () => http.DeleteAsync(path, cancellationToken), AccessJson.Default.ApiKeyInfo, cancellationToken)
            ?? throw new FleetApiException($"{Peer} at {BaseAddress} answered {path} with an empty body.");
    }

    /// <summary>The audit entries that match; a criterion left null is not applied.</summary>
    public async Task<IReadOnlyList<AuditEntry>> GetAuditAsync(
        string? actor, string? target, string? action, AuditOutcome? outcome, DateTimeOffset? from, DateTimeOffset? to, int? limit,
        CancellationToken cancellationToken)
    {
        var query = new List<string>();
        Add("actor", actor);
        Add("target", target);
        Add("action", action);
        Add("outcome", outcome is { } o ? AccessNames.Of(o) : null);
        Add("from", from?.ToString("O", CultureInfo.InvariantCulture));
        Add("to", to?.ToString("O", CultureInfo.InvariantCulture));
        Add("limit", limit?.ToString(CultureInfo.InvariantCulture));
        var path = "api/audit" + (query.Count > 0 ? "?" + string.Join('&', query) : "");
        return await GetAsync(path, AccessJson.Default.IReadOnlyListAuditEntry, cancellationToken) ?? [];

        void Add(string name, string? value)
        {
            if (value is not null)
                query.Add($"{name}={Uri.EscapeDataString(value)}");
        }
    }
}
