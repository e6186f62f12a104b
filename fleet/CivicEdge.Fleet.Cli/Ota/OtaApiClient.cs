using System.Net.Http.Headers;
using System.Text.Json.Serialization.Metadata;
using CivicEdge.Fleet.Contracts.Ota;

namespace CivicEdge.Fleet.Cli.Ota;

/// <summary>The fleet's <c>/api/ota</c> endpoints as the CLI uses them.</summary>
public sealed class OtaApiClient(FleetApiClient api)
{
    public const string ArtifactsPath = "api/ota/artifacts";

    public const string CampaignsPath = "api/ota/campaigns";

    /// <summary>Sends a package file as it is read, telling <paramref name="progress"/> the bytes sent so far.</summary>
    public async Task<OtaArtifact> UploadAsync(Stream package, long length, IProgress<long>? progress, CancellationToken cancellationToken)
    {
        using var content = new ProgressStreamContent(package, progress);
        content.Headers.ContentType = new MediaTypeHeaderValue(OtaPackageFormat.MediaType);
        content.Headers.ContentLength = length;
        return await api.SendBulkAsync(HttpMethod.Post, ArtifactsPath, content, OtaJson.Default.OtaArtifact, cancellationToken).ConfigureAwait(false)
            ?? throw new FleetApiException($"The fleet at {api.BaseAddress} answered {ArtifactsPath} with an empty body.");
    }

    public Task<IReadOnlyList<OtaArtifact>> ListAsync(CancellationToken cancellationToken) =>
        SendJsonAsync(HttpMethod.Get, ArtifactsPath, OtaJson.Default.IReadOnlyListOtaArtifact, cancellationToken);

    public async Task<OtaCampaign> CreateCampaignAsync(OtaCampaignRequest request, CancellationToken cancellationToken)
    {
        using var content = System.Net.Http.Json.JsonContent.Create(request, OtaJson.Default.OtaCampaignRequest);
        return await api.SendJsonAsync(HttpMethod.Post, CampaignsPath, content, OtaJson.Default.OtaCampaign, cancellationToken).ConfigureAwait(false)
            ?? throw new FleetApiException($"The fleet at {api.BaseAddress} answered {CampaignsPath} with an empty body.");
    }

    public Task<IReadOnlyList<OtaCampaign>> ListCampaignsAsync(CancellationToken cancellationToken) =>
        SendJsonAsync(HttpMethod.Get, CampaignsPath, OtaJson.Default.IReadOnlyListOtaCampaign, cancellationToken);

    public Task<OtaCampaign> GetCampaignAsync(string id, CancellationToken cancellationToken) =>
        SendJsonAsync(HttpMethod.Get, $"{CampaignsPath}/{Uri.EscapeDataString(id)}", OtaJson.Default.OtaCampaign, cancellationToken);

    /// <summary>Pauses, resumes, cancels or retries (<paramref name="action"/>) a campaign, with an optional reason kept with it.</summary>
    public Task<OtaCampaign> ChangeCampaignAsync(string id, string action, string? reason, CancellationToken cancellationToken) =>
        SendJsonAsync(HttpMethod.Post,
            $"{CampaignsPath}/{Uri.EscapeDataString(id)}/{action}" + (reason is null ? "" : "?reason=" + Uri.EscapeDataString(reason)),
            OtaJson.Default.OtaCampaign, cancellationToken);

    private async Task<T> SendJsonAsync<T>(HttpMethod method, string path, JsonTypeInfo<T> typeInfo, CancellationToken cancellationToken) =>
        await api.SendJsonAsync(method, path, null, typeInfo, cancellationToken).ConfigureAwait(false)
            ?? throw new FleetApiException($"The fleet at {api.BaseAddress} answered {path} with an empty body.");

    /// <summary>Streams a body and counts what has gone out, for a progress bar.</summary>
    private sealed class ProgressStreamContent(Stream source, IProgress<long>? progress) : HttpContent
    {
        protected override async Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context, CancellationToken cancellationToken)
        {
            var buffer = new byte[64 * 1024];
            long sent = 0;
            int read;
            while ((read = await source.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
            {
                await stream.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                sent += read;
                progress?.Report(sent);
            }
        }

        protected override Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context) =>
            SerializeToStreamAsync(stream, context, CancellationToken.None);

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }
}
