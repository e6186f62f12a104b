using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using CivicEdge.Fleet.Contracts.Ledger;
using CivicEdge.Fleet.Contracts.Ota;

namespace CivicEdge.Benchmarks.Scenarios;

/// <summary>
/// OTA artifacts through civicedge-fleet in a process of its own (LiteDB, authentication on): the upload of a signed
/// package, whole-payload downloads in parallel, 64 KiB range requests at random offsets, and a 1 MB payload fetched
/// in ranges by many downloaders, a fixed number at a time, as the installers behind gateways fetch it in a rollout;
/// then the same 64 KiB ranges fetched by a gateway with its own ledger credential (Basic; one PBKDF2 at the default
/// iterations, then the verified-password cache, and the campaign check at every request). What the fleet's serving
/// costs, not what a field bus or a campaign's waves add.
/// </summary>
internal static class OtaServingScenario
{
    private const int RangeSize = 64 * 1024;

    public static async Task<OtaServingFigures> RunAsync(int payloadMegabytes, int wholeDownloads, int rangeRequests, int rolloutDevices, int rolloutConcurrency, CancellationToken cancellationToken)
    {
        await using var fleet = await OtaFleetProcess.StartAsync([], cancellationToken);
        using var http = fleet.CreateAdminClient(new SocketsHttpHandler { MaxConnectionsPerServer = 64 }, TimeSpan.FromMinutes(5));

        var big = RandomNumberGenerator.GetBytes(payloadMegabytes * 1024 * 1024);
        var uploadStarted = Stopwatch.GetTimestamp();
        await fleet.UploadAsync(http, "bench-gateway", "bench", "1.0.0", big, cancellationToken);
        var uploadSeconds = Stopwatch.GetElapsedTime(uploadStarted).TotalSeconds;
        var small = RandomNumberGenerator.GetBytes(1024 * 1024);
        await fleet.UploadAsync(http, "bench-firmware", "bench", "1.0.0", small, cancellationToken);

        var wholeStarted = Stopwatch.GetTimestamp();
        await Parallel.ForEachAsync(Enumerable.Range(0, wholeDownloads), new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = cancellationToken }, async (_, token) =>
        {
            var bytes = await http.GetByteArrayAsync("api/ota/artifacts/bench-gateway@1.0.0/payload", token);
            if (bytes.Length != big.Length)
                throw new InvalidOperationException($"A whole download brought {bytes.Length} bytes of {big.Length}.");
        });
        var wholeSeconds = Stopwatch.GetElapsedTime(wholeStarted).TotalSeconds;

        var rangeStarted = Stopwatch.GetTimestamp();
        await Parallel.ForEachAsync(Enumerable.Range(0, rangeRequests), new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken }, async (i, token) =>
        {
            var offset = (long)(i * 7919L % (big.Length / RangeSize)) * RangeSize;
            await FetchRangeAsync(http, "api/ota/artifacts/bench-gateway@1.0.0/payload", offset, RangeSize, token);
        });
        var rangeSeconds = Stopwatch.GetElapsedTime(rangeStarted).TotalSeconds;

        long served = 0;
        var rolloutStarted = Stopwatch.GetTimestamp();
        await Parallel.ForEachAsync(Enumerable.Range(0, rolloutDevices), new ParallelOptions { MaxDegreeOfParallelism = rolloutConcurrency, CancellationToken = cancellationToken }, async (_, token) =>
        {
            using var digest = new OtaPayloadDigest();
            for (long offset = 0; offset < small.Length; offset += RangeSize)
                digest.Append(await FetchRangeAsync(http, "api/ota/artifacts/bench-firmware@1.0.0/payload", offset, (int)Math.Min(RangeSize, small.Length - offset), token));
            if (digest.Sha256() != Convert.ToHexStringLower(SHA256.HashData(small)))
                throw new InvalidOperationException("A downloader assembled a payload whose SHA-256 differs from the manifest's.");
            Interlocked.Add(ref served, digest.Length);
        });
        var rolloutSeconds = Stopwatch.GetElapsedTime(rolloutStarted).TotalSeconds;

        var secret = await OfferToGatewayAsync(http, "bench-gw", "bench-firmware@1.0.0", cancellationToken);
        using var gateway = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 64 }) { BaseAddress = http.BaseAddress, Timeout = TimeSpan.FromMinutes(5) };
        gateway.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("bench-gw:" + secret)));
        var firstStarted = Stopwatch.GetTimestamp();
        await FetchRangeAsync(gateway, "api/ota/artifacts/bench-firmware@1.0.0/payload", 0, RangeSize, cancellationToken);
        var firstMilliseconds = Stopwatch.GetElapsedTime(firstStarted).TotalMilliseconds;
        var deviceStarted = Stopwatch.GetTimestamp();
        await Parallel.ForEachAsync(Enumerable.Range(0, rangeRequests), new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken }, async (i, token) =>
        {
            var offset = (long)(i * 7919L % (small.Length / RangeSize)) * RangeSize;
            await FetchRangeAsync(gateway, "api/ota/artifacts/bench-firmware@1.0.0/payload", offset, RangeSize, token);
        });
        var deviceSeconds = Stopwatch.GetElapsedTime(deviceStarted).TotalSeconds;

        const double Mb = 1024.0 * 1024.0;
        var figures = new OtaServingFigures(
            big.Length / Mb, uploadSeconds,
            wholeDownloads, wholeDownloads * (big.Length / Mb) / wholeSeconds,
            rangeRequests, rangeRequests / rangeSeconds, rangeRequests * (RangeSize / Mb) / rangeSeconds,
            rolloutDevices, rolloutConcurrency, rolloutSeconds, served / Mb,
            firstMilliseconds, rangeRequests / deviceSeconds);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"OTA serving: upload {figures.UploadMegabytes:F0} MB in {figures.UploadSeconds:F2} s; whole downloads {figures.WholeMegabytesPerSecond:F0} MB/s; 64 KiB ranges {figures.RangeRequestsPerSecond:F0} /s ({figures.RangeMegabytesPerSecond:F0} MB/s); 1 MB to {rolloutDevices} downloaders, {rolloutConcurrency} at a time, in {rolloutSeconds:F1} s ({figures.RolloutMegabytes:F0} MB served); with a gateway's own credential: first range {figures.DeviceFirstRequestMilliseconds:F1} ms (PBKDF2), then {figures.DeviceRangeRequestsPerSecond:F0} ranges/s"));
        return figures;
    }

    /// <summary>
    /// Enrols a gateway with one pole controller behind it, issues the gateway a password, and starts a campaign for
    /// <paramref name="artifactId"/> that reaches the pole: the gateway may then download it. Returns the secret.
    /// </summary>
    private static async Task<string> OfferToGatewayAsync(HttpClient http, string gateway, string artifactId, CancellationToken cancellationToken)
    {
        foreach (var registration in new[]
        {
            new DeviceRegistration { Code = gateway, Kind = DeviceKind.Gateway, Model = "bench-gateway", Tenant = "bench", By = "bench" },
            new DeviceRegistration { Code = gateway + "-pole", Kind = DeviceKind.PoleController, Model = "bench", Firmware = "0.9.0", Gateway = gateway, Tenant = "bench", By = "bench" },
        })
        {
            using var registered = await http.PostAsJsonAsync("api/devices", registration, LedgerJson.Default.DeviceRegistration, cancellationToken);
            if (registered.StatusCode != HttpStatusCode.Created)
                throw new InvalidOperationException($"Registering {registration.Code} was answered {(int)registered.StatusCode}: {await registered.Content.ReadAsStringAsync(cancellationToken)}");
        }

        using var issued = await http.PostAsJsonAsync($"api/devices/{gateway}/credentials", new CredentialRequest { By = "bench" }, LedgerJson.Default.CredentialRequest, cancellationToken);
        var credential = await issued.Content.ReadFromJsonAsync(LedgerJson.Default.IssuedCredential, cancellationToken)
            ?? throw new InvalidOperationException($"Issuing {gateway} a credential was answered {(int)issued.StatusCode}.");
        using var created = await http.PostAsJsonAsync("api/ota/campaigns", new OtaCampaignRequest("bench-campaign", artifactId), OtaJson.Default.OtaCampaignRequest, cancellationToken);
        if (created.StatusCode != HttpStatusCode.Created)
            throw new InvalidOperationException($"The campaign was answered {(int)created.StatusCode}: {await created.Content.ReadAsStringAsync(cancellationToken)}");
        return credential.Secret!;
    }

    private static async Task<byte[]> FetchRangeAsync(HttpClient http, string path, long offset, int length, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Range = new RangeHeaderValue(offset, offset + length - 1);
        using var response = await http.SendAsync(request, cancellationToken);
        var bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        if (response.StatusCode != HttpStatusCode.PartialContent || bytes.Length != length)
            throw new InvalidOperationException($"A range request at {offset} for {length} bytes was answered {(int)response.StatusCode} with {bytes.Length} bytes.");
        return bytes;
    }
}
