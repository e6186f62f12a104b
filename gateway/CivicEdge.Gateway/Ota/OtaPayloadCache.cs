using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text.Json;
using CivicEdge.Fleet.Contracts.Ota;
using Microsoft.Extensions.Logging;

namespace CivicEdge.Gateway.Ota;

/// <summary>
/// Fetches and verifies an offered payload once for every device behind the gateway that gets it: the signature over
/// the offer's manifest bytes against the gateway's trusted keys, the offer against the manifest, then the payload
/// downloaded with HTTP range requests (RFC 9110 §14) into a partial file that a restart or a broken connection
/// resumes, and its size and SHA-256 checked against the manifest. A verified payload is kept under its SHA-256, so a
/// second offer of it downloads nothing.
/// </summary>
public sealed partial class OtaPayloadCache
{
    private const int ReportEvery = 256 * 1024;

    private readonly HttpClient _fleet;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, SemaphoreSlim> _downloads = new(StringComparer.Ordinal);
    private readonly string _directory;
    private readonly OtaVerifier _verifier;
    private readonly ILogger _logger;

    /// <param name="fleet">The fleet's HTTP API; offers name download paths relative to its base address.</param>
    /// <param name="directory">Where payloads are kept, created if missing.</param>
    /// <param name="verifier">Holds the trusted signer keys.</param>
    /// <param name="logger">Where downloads and refusals are logged.</param>
    public OtaPayloadCache(HttpClient fleet, string directory, OtaVerifier verifier, ILogger<OtaPayloadCache> logger)
    {
        ArgumentNullException.ThrowIfNull(fleet);
        ArgumentException.ThrowIfNullOrEmpty(directory);
        _fleet = fleet;
        _directory = Directory.CreateDirectory(directory).FullName;
        _verifier = verifier ?? throw new ArgumentNullException(nameof(verifier));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
    }

    /// <summary>
    /// The verified image an offer brings, or null when it cannot be had; either way <paramref name="reporter"/> has
    /// heard downloading with the bytes so far, then verified, or failed with the reason.
    /// </summary>
    public async Task<FieldUpdateImage?> PrepareAsync(OtaOffer offer, IFieldUpdateReporter reporter, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(offer);
        ArgumentNullException.ThrowIfNull(reporter);
        var refusal = Check(offer, out var manifest);
        if (refusal is not null)
            return await FailAsync(offer, reporter, refusal, cancellationToken).ConfigureAwait(false);

        var final = Path.Combine(_directory, manifest!.Sha256.ToLowerInvariant() + ".payload");
        // Offers of one artifact to several devices arrive together: one of them downloads, the others wait for it
        // (two writers of one partial file would spoil it for both).
        var download = _downloads.GetOrAdd(manifest.Sha256.ToLowerInvariant(), _ => new SemaphoreSlim(1, 1));
        await download.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!File.Exists(final))
            {
                var partial = Path.Combine(_directory, manifest.Sha256.ToLowerInvariant() + ".part");
                var problem = await DownloadAsync(offer, manifest, partial, reporter, cancellationToken).ConfigureAwait(false);
                if (problem is not null)
                    return await FailAsync(offer, reporter, problem, cancellationToken).ConfigureAwait(false);
                var verdict = await VerifyPayloadAsync(manifest, partial, cancellationToken).ConfigureAwait(false);
                if (!verdict.IsValid)
                {
                    File.Delete(partial);
                    return await FailAsync(offer, reporter, verdict.Message!, cancellationToken).ConfigureAwait(false);
                }

                File.Move(partial, final, overwrite: true);
            }
        }
        finally
        {
            download.Release();
        }

        var payload = await File.ReadAllBytesAsync(final, cancellationToken).ConfigureAwait(false);
        if (!OtaVerifier.CheckPayload(manifest, payload.Length, Convert.ToHexStringLower(SHA256.HashData(payload))).IsValid)
        {
            // A cached file that no longer matches (disk fault, tampering) is dropped; the next offer downloads afresh.
            File.Delete(final);
            return await FailAsync(offer, reporter, $"the cached payload {final} no longer matches the manifest's SHA-256", cancellationToken).ConfigureAwait(false);
        }

        await reporter.ReportAsync(OtaPhase.Verified, payload.Length, null, null, cancellationToken).ConfigureAwait(false);
        return FieldUpdateImage.Of(manifest.Version, payload);
    }

    private string? Check(OtaOffer offer, out OtaManifest? manifest)
    {
        manifest = null;
        byte[] manifestBytes;
        try
        {
            manifestBytes = Convert.FromBase64String(offer.Manifest);
            manifest = JsonSerializer.Deserialize(manifestBytes, OtaJson.Default.OtaManifest);
        }
        catch (Exception e) when (e is FormatException or JsonException)
        {
            return $"expected the offer's manifest as base64 JSON, found what does not read as one: {e.Message}";
        }

        if (manifest is null)
            return "expected a manifest in the offer, found null";
        var verification = _verifier.VerifyManifest(manifestBytes, manifest, offer.Signature);
        if (!verification.IsValid)
            return verification.Message;
        if (manifest.Version != offer.Version || manifest.Size != offer.Size || !string.Equals(manifest.Sha256, offer.Sha256, StringComparison.OrdinalIgnoreCase))
            return $"expected the offer to match its signed manifest (version {manifest.Version}, {manifest.Size} bytes, SHA-256 {manifest.Sha256}), found version {offer.Version}, {offer.Size} bytes, SHA-256 {offer.Sha256}";
        if (manifest.Version.Length > FieldUpdateStatus.MaxVersionLength)
            return $"expected a version of at most {FieldUpdateStatus.MaxVersionLength} characters for a field device's registers, found '{manifest.Version}'";
        return null;
    }

    private async Task<string?> DownloadAsync(OtaOffer offer, OtaManifest manifest, string partial, IFieldUpdateReporter reporter, CancellationToken cancellationToken)
    {
        await using var file = new FileStream(partial, FileMode.OpenOrCreate, FileAccess.Write, FileShare.None, 81920, useAsync: true);
        long have = file.Length;
        if (have > manifest.Size)
        {
            file.SetLength(0);
            have = 0;
        }

        file.Seek(have, SeekOrigin.Begin);
        await reporter.ReportAsync(OtaPhase.Downloading, have, null, null, cancellationToken).ConfigureAwait(false);
        if (have == manifest.Size)
            return null;

        using var request = new HttpRequestMessage(HttpMethod.Get, offer.DownloadPath);
        if (have > 0)
            request.Headers.Range = new RangeHeaderValue(have, null);
        HttpResponseMessage response;
        try
        {
            response = await _fleet.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException e)
        {
            return $"the download of {offer.DownloadPath} failed at byte {have}: {e.Message}";
        }

        using (response)
        {
            if (response.StatusCode == HttpStatusCode.OK && have > 0)
            {
                // The server sent the whole payload rather than the range: start the file over.
                file.SetLength(0);
                have = 0;
            }
            else if (response.StatusCode is not (HttpStatusCode.OK or HttpStatusCode.PartialContent))
            {
                return $"expected 200 or 206 for {offer.DownloadPath} from byte {have}, found {(int)response.StatusCode} {response.ReasonPhrase}";
            }

            LogDownloading(_logger, offer.ArtifactId, have, manifest.Size);
            var buffer = new byte[81920];
            long reported = have;
            try
            {
                await using var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
                int read;
                while ((read = await body.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
                {
                    if (have + read > manifest.Size)
                        return $"expected {manifest.Size} bytes from {offer.DownloadPath}, found more";
                    await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                    have += read;
                    if (have - reported >= ReportEvery)
                    {
                        await file.FlushAsync(cancellationToken).ConfigureAwait(false);
                        await reporter.ReportAsync(OtaPhase.Downloading, have, null, null, cancellationToken).ConfigureAwait(false);
                        reported = have;
                    }
                }
            }
            catch (Exception e) when (e is IOException or HttpRequestException)
            {
                // What arrived stays in the partial file: the next attempt asks for the rest.
                await file.FlushAsync(cancellationToken).ConfigureAwait(false);
                return $"the download of {offer.DownloadPath} broke off at byte {have} of {manifest.Size}: {e.Message}";
            }
        }

        await file.FlushAsync(cancellationToken).ConfigureAwait(false);
        return have == manifest.Size ? null : $"expected {manifest.Size} bytes from {offer.DownloadPath}, found {have}";
    }

    private static async Task<OtaVerification> VerifyPayloadAsync(OtaManifest manifest, string path, CancellationToken cancellationToken)
    {
        await using var file = File.OpenRead(path);
        var hash = await SHA256.HashDataAsync(file, cancellationToken).ConfigureAwait(false);
        return OtaVerifier.CheckPayload(manifest, file.Length, Convert.ToHexStringLower(hash));
    }

    private async Task<FieldUpdateImage?> FailAsync(OtaOffer offer, IFieldUpdateReporter reporter, string reason, CancellationToken cancellationToken)
    {
        LogRefused(_logger, offer.ArtifactId, offer.Target, reason);
        await reporter.ReportAsync(OtaPhase.Failed, null, null, reason, cancellationToken).ConfigureAwait(false);
        return null;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "OTA {ArtifactId}: downloading from byte {Offset} of {Size}")]
    private static partial void LogDownloading(ILogger logger, string artifactId, long offset, long size);

    [LoggerMessage(Level = LogLevel.Warning, Message = "OTA {ArtifactId} for {Target} refused: {Reason}")]
    private static partial void LogRefused(ILogger logger, string artifactId, string target, string reason);
}
