using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Serialization.Metadata;
using CivicEdge.Fleet.Contracts.Ledger;

namespace CivicEdge.Fleet.Cli.Ledger;

/// <summary>The fleet's ledger, provisioning and broker endpoints as the CLI uses them.</summary>
public sealed class LedgerApiClient(FleetApiClient api)
{
    public async Task<IReadOnlyList<DeviceListItem>> ListAsync(IReadOnlyList<KeyValuePair<string, string>> filters, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(filters);
        var query = string.Join('&', filters.Select(filter => $"{filter.Key}={Uri.EscapeDataString(filter.Value)}"));
        return await GetAsync("api/devices" + (query.Length > 0 ? "?" + query : string.Empty), LedgerJson.Default.IReadOnlyListDeviceListItem, cancellationToken);
    }

    public Task<DeviceDetails> ShowAsync(string code, CancellationToken cancellationToken) =>
        GetAsync(DevicePath(code), LedgerJson.Default.DeviceDetails, cancellationToken);

    public Task<DeviceAnswer> RegisterAsync(DeviceRegistration registration, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Post, "api/devices", JsonContent.Create(registration, LedgerJson.Default.DeviceRegistration), LedgerJson.Default.DeviceAnswer, cancellationToken);

    /// <summary>Sends a JSON merge patch (RFC 7396).</summary>
    public Task<DeviceAnswer> UpdateAsync(string code, string mergePatch, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Patch, DevicePath(code), new StringContent(mergePatch, Encoding.UTF8, "application/merge-patch+json"), LedgerJson.Default.DeviceAnswer, cancellationToken);

    public Task<LedgerDevice> ChangeStateAsync(string code, LifecycleRequest request, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Post, DevicePath(code) + "/lifecycle", JsonContent.Create(request, LedgerJson.Default.LifecycleRequest), LedgerJson.Default.LedgerDevice, cancellationToken);

    public Task<LedgerDevice> DecommissionAsync(string code, LifecycleRequest request, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Post, DevicePath(code) + "/decommission", JsonContent.Create(request, LedgerJson.Default.LifecycleRequest), LedgerJson.Default.LedgerDevice, cancellationToken);

    public Task<ClaimTokenIssued> IssueClaimTokenAsync(ClaimTokenRequest request, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Post, "api/claim-tokens", JsonContent.Create(request, LedgerJson.Default.ClaimTokenRequest), LedgerJson.Default.ClaimTokenIssued, cancellationToken);

    public Task<ClaimAnswer> ClaimAsync(string code, ClaimRequest request, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Post, DevicePath(code) + "/claim", JsonContent.Create(request, LedgerJson.Default.ClaimRequest), LedgerJson.Default.ClaimAnswer, cancellationToken);

    public Task<IReadOnlyList<CredentialSummary>> ListCredentialsAsync(string code, CancellationToken cancellationToken) =>
        GetAsync(DevicePath(code) + "/credentials", LedgerJson.Default.IReadOnlyListCredentialSummary, cancellationToken);

    public Task<IssuedCredential> IssueCredentialAsync(string code, CredentialRequest request, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Post, DevicePath(code) + "/credentials", JsonContent.Create(request, LedgerJson.Default.CredentialRequest), LedgerJson.Default.IssuedCredential, cancellationToken);

    public Task<IssuedCredential> RotateCredentialAsync(string code, CredentialRequest request, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Post, DevicePath(code) + "/credentials/rotate", JsonContent.Create(request, LedgerJson.Default.CredentialRequest), LedgerJson.Default.IssuedCredential, cancellationToken);

    public Task<RevocationAnswer> RevokeCredentialsAsync(string code, RevocationRequest request, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Post, DevicePath(code) + "/credentials/revoke", JsonContent.Create(request, LedgerJson.Default.RevocationRequest), LedgerJson.Default.RevocationAnswer, cancellationToken);

    public Task<BrokerStatus> BrokerStatusAsync(CancellationToken cancellationToken) =>
        GetAsync("api/broker", LedgerJson.Default.BrokerStatus, cancellationToken);

    public Task<MosquittoFiles> MosquittoFilesAsync(CancellationToken cancellationToken) =>
        GetAsync("api/broker/mosquitto", LedgerJson.Default.MosquittoFiles, cancellationToken);

    private static string DevicePath(string code)
    {
        ArgumentException.ThrowIfNullOrEmpty(code);
        return "api/devices/" + Uri.EscapeDataString(code);
    }

    private async Task<T> GetAsync<T>(string path, JsonTypeInfo<T> typeInfo, CancellationToken cancellationToken) =>
        await api.SendJsonAsync(HttpMethod.Get, path, null, typeInfo, cancellationToken).ConfigureAwait(false)
        ?? throw new FleetApiException($"The fleet at {api.BaseAddress} answered {path} with an empty body.");

    private async Task<T> SendAsync<T>(HttpMethod method, string path, HttpContent content, JsonTypeInfo<T> typeInfo, CancellationToken cancellationToken)
    {
        using (content)
        {
            return await api.SendJsonAsync(method, path, content, typeInfo, cancellationToken).ConfigureAwait(false)
                ?? throw new FleetApiException($"The fleet at {api.BaseAddress} answered {path} with an empty body.");
        }
    }
}
