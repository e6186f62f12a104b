using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using CivicEdge.Fleet.Contracts.Ota;

namespace CivicEdge.Simulators.Load;

/// <summary>
/// One simulated gateway's payloads: each artifact downloaded once however many of its devices are offered it, in
/// range requests (RFC 9110 §14) of <see cref="RangeSize"/> bytes, so that a download broken off resumes from the
/// byte it reached; then its size and SHA-256 checked against the signed manifest. A download that fails is
/// forgotten, so the next offer of the artifact tries again.
/// </summary>
internal sealed class GatewayPayloadCache(HttpClient fleet, int attempts, OtaCounters counters)
{
    /// <summary>Bytes asked for per request, as a gateway on a cellular link fetches its payloads.</summary>
    public const int RangeSize = 256 * 1024;

    private readonly ConcurrentDictionary<string, Lazy<Task<PayloadFetch>>> _payloads = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long> _received = new(StringComparer.Ordinal);

    /// <summary>Bytes of the artifact with <paramref name="sha256"/> this gateway holds so far.</summary>
    public long ReceivedOf(string sha256) => _received.GetValueOrDefault(sha256);

    /// <summary>The verified payload the offer names, downloading it unless this gateway holds it already.</summary>
    public async Task<PayloadFetch> FetchAsync(OtaOffer offer, OtaManifest manifest, CancellationToken cancellationToken)
    {
        var key = manifest.Sha256;
        var fetch = _payloads.GetOrAdd(key, _ => new Lazy<Task<PayloadFetch>>(() => DownloadAsync(offer.DownloadPath, manifest, cancellationToken)));
        var result = await fetch.Value.ConfigureAwait(false);
        if (result.Payload is null && _payloads.TryRemove(new KeyValuePair<string, Lazy<Task<PayloadFetch>>>(key, fetch)))
            _received.TryRemove(key, out _);
        return result;
    }

    private async Task<PayloadFetch> DownloadAsync(string path, OtaManifest manifest, CancellationToken cancellationToken)
    {
        var payload = new byte[manifest.Size];
        long have = 0;
        var broken = 0;
        string? lastProblem = null;
        while (have < manifest.Size)
        {
            var last = Math.Min(have + RangeSize, manifest.Size) - 1;
            using var request = new HttpRequestMessage(HttpMethod.Get, path);
            request.Headers.Range = new RangeHeaderValue(have, last);
            try
            {
                using var response = await fleet.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
                if (response.StatusCode != HttpStatusCode.PartialContent)
                {
                    var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
                    return PayloadFetch.Refused($"expected 206 for bytes {have}-{last} of {path}, found {(int)response.StatusCode} {response.ReasonPhrase}{(body.Length > 0 ? ": " + body : string.Empty)}");
                }

                await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
                var end = last + 1;
                int read;
                while (have < end && (read = await stream.ReadAsync(payload.AsMemory((int)have, (int)(end - have)), cancellationToken).ConfigureAwait(false)) > 0)
                {
                    have += read;
                    _received[manifest.Sha256] = have;
                }

                if (have < end)
                    throw new IOException($"the answer for bytes {have}-{last} ended early");
            }
            catch (Exception e) when (e is IOException or HttpRequestException)
            {
                // What arrived stays: the next request asks for the rest of the range.
                lastProblem = e.Message;
                if (++broken >= attempts)
                    return PayloadFetch.Refused($"the download of {path} broke off {broken} times, the last at byte {have} of {manifest.Size}: {lastProblem}");
            }
        }

        counters.Downloaded(have);
        var verdict = OtaVerifier.CheckPayload(manifest, payload.LongLength, Convert.ToHexStringLower(SHA256.HashData(payload)));
        return verdict.IsValid ? new PayloadFetch(payload, null) : PayloadFetch.Refused(verdict.Message!);
    }
}
