using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using CivicEdge.Benchmarks.Peers;
using CivicEdge.Fleet.Contracts.Ota;
using CivicEdge.Simulators.Processes;

namespace CivicEdge.Benchmarks.Scenarios;

/// <summary>
/// civicedge-fleet in a process of its own for the OTA scenarios: LiteDB in a work folder, its broker on a free port,
/// authentication on with a bootstrap admin key, and a release key generated for the run that it trusts (the public PEM
/// in the work folder, which is also the OTA spool). The process, the key and the folder go on disposal.
/// </summary>
internal sealed class OtaFleetProcess : IAsyncDisposable
{
    private const string AdminKey = "ce_benchadm01_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromMinutes(1);

    private readonly DirectoryInfo _work;
    private readonly ChildProcess _process;

    private OtaFleetProcess(DirectoryInfo work, OtaSigningKey key, ChildProcess process, int mqttPort, Uri url)
    {
        _work = work;
        Key = key;
        _process = process;
        MqttPort = mqttPort;
        Url = url;
    }

    /// <summary>The release key the fleet trusts.</summary>
    public OtaSigningKey Key { get; }

    public int MqttPort { get; }

    /// <summary>The fleet's HTTP address, ending in a slash.</summary>
    public Uri Url { get; }

    /// <summary>The fleet's process id, for sampling its CPU and memory.</summary>
    public int ProcessId => _process.Id;

    /// <summary>Starts the fleet with <paramref name="settings"/> (<c>--Key=value</c>) after the common ones and waits until it is ready.</summary>
    public static async Task<OtaFleetProcess> StartAsync(IEnumerable<string> settings, CancellationToken cancellationToken)
    {
        var work = Directory.CreateTempSubdirectory("civicedge-ota-bench-");
        var key = OtaSigningKey.Generate();
        ChildProcess? process = null;
        try
        {
            var keyFile = Path.Combine(work.FullName, "release.pub.pem");
            await File.WriteAllTextAsync(keyFile, key.PublicKey.Pem, cancellationToken);
            var mqttPort = FleetIngestScenario.FreePort();
            process = ChildProcess.Start("fleet", BuiltAssembly.Find("CivicEdge.Fleet.Server", "civicedge-fleet"),
            [
                "--urls", "http://127.0.0.1:0", $"--Fleet:Broker:Port={mqttPort}", $"--Fleet:Storage:Path={Path.Combine(work.FullName, "fleet.db")}",
                $"--Fleet:Access:BootstrapKey={AdminKey}", $"--Fleet:Ota:TrustedKeyFiles:0={keyFile}", $"--Fleet:Ota:SpoolDirectory={work.FullName}",
                "--Fleet:Ledger:CodeScheme=topic-level", "--Logging:LogLevel:Default=Warning", .. settings,
            ]);
            var ready = await process.WaitForLineAsync(line => line.Contains("civicedge-fleet ready", StringComparison.Ordinal), ReadyTimeout, cancellationToken);
            var url = new Uri(ready.Split(' ').Single(field => field.StartsWith("http=", StringComparison.Ordinal))["http=".Length..] + "/");
            return new OtaFleetProcess(work, key, process, mqttPort, url);
        }
        catch
        {
            if (process is not null)
                await process.DisposeAsync();
            key.Dispose();
            work.Delete(recursive: true);
            throw;
        }
    }

    /// <summary>A client of the fleet with the admin key, over <paramref name="handler"/>.</summary>
    public HttpClient CreateAdminClient(HttpMessageHandler handler, TimeSpan timeout)
    {
        var http = new HttpClient(handler) { BaseAddress = Url, Timeout = timeout };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AdminKey);
        return http;
    }

    /// <summary>
    /// Signs <paramref name="payload"/> as firmware <paramref name="product"/>@<paramref name="version"/> for
    /// <paramref name="model"/> with the trusted key and uploads the package; anything but 201 Created ends the run.
    /// </summary>
    public async Task<OtaManifest> UploadAsync(HttpClient http, string product, string model, string version, byte[] payload, CancellationToken cancellationToken)
    {
        var manifest = new OtaManifest(product, ArtifactKind.Firmware, [model], version, null, payload.Length,
            Convert.ToHexStringLower(SHA256.HashData(payload)), null, DateTimeOffset.UtcNow);
        var manifestBytes = OtaPackageFormat.ManifestBytes(manifest);
        using var content = new ByteArrayContent([.. OtaPackageFormat.WriteHeader(manifestBytes, Key.Sign(manifestBytes)), .. payload]);
        content.Headers.ContentType = new MediaTypeHeaderValue(OtaPackageFormat.MediaType);
        using var response = await http.PostAsync("api/ota/artifacts", content, cancellationToken);
        if (response.StatusCode != HttpStatusCode.Created)
            throw new InvalidOperationException($"The upload of {manifest.ArtifactId} was answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(cancellationToken)}");
        return manifest;
    }

    public async ValueTask DisposeAsync()
    {
        await _process.DisposeAsync();
        Key.Dispose();
        _work.Delete(recursive: true);
    }
}
