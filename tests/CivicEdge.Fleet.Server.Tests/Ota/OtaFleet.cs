using System.Net.Http.Headers;
using System.Security.Cryptography;
using CivicEdge.Fleet.Contracts.Ota;

namespace CivicEdge.Fleet.Server.Tests.Ota;

/// <summary>
/// A real fleet that trusts a release key generated for it: the key, a folder holding its public PEM and serving as the
/// OTA spool, the <see cref="FleetHost"/> and an admin client; all of it removed on disposal. Packages are signed and
/// uploaded as a release pipeline would: <c>.cota</c> header and payload, posted to <c>api/ota/artifacts</c>.
/// </summary>
internal sealed class OtaFleet : IAsyncDisposable
{
    /// <summary>When the manifests of the fixed test artifacts say they were signed.</summary>
    public static readonly DateTimeOffset Released = new(2026, 11, 29, 1, 0, 0, TimeSpan.Zero);

    private OtaFleet(OtaSigningKey key, string directory, FleetHost host, HttpClient http)
    {
        Key = key;
        SpoolDirectory = directory;
        Host = host;
        Http = http;
    }

    /// <summary>The release key the fleet trusts.</summary>
    public OtaSigningKey Key { get; }

    /// <summary>The folder with the trusted public key, also the fleet's OTA spool.</summary>
    public string SpoolDirectory { get; }

    public FleetHost Host { get; }

    /// <summary>A client with the bootstrap admin key.</summary>
    public HttpClient Http { get; }

    /// <summary>Starts a fleet trusting a fresh key, with <paramref name="settings"/> over the OTA ones.</summary>
    public static async Task<OtaFleet> StartAsync(IReadOnlyDictionary<string, string> settings, CancellationToken cancellationToken)
    {
        var key = OtaSigningKey.Generate();
        var directory = Directory.CreateTempSubdirectory("civicedge-ota-fleet-").FullName;
        FleetHost? host = null;
        try
        {
            var keyFile = Path.Combine(directory, "release.pub.pem");
            await File.WriteAllTextAsync(keyFile, key.PublicKey.Pem, cancellationToken);
            var all = new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["Fleet:Ota:TrustedKeyFiles:0"] = keyFile,
                ["Fleet:Ota:SpoolDirectory"] = directory,
            };
            foreach (var (name, value) in settings)
                all[name] = value;
            host = new FleetHost(all);
            await host.StartAsync(cancellationToken);
            return new OtaFleet(key, directory, host, host.CreateClient());
        }
        catch
        {
            if (host is not null)
                await host.DisposeAsync();
            key.Dispose();
            Directory.Delete(directory, recursive: true);
            throw;
        }
    }

    /// <summary>The manifest of firmware <paramref name="product"/>@<paramref name="version"/> for <paramref name="model"/>, bound to <paramref name="payload"/>.</summary>
    public static OtaManifest Manifest(string product, string version, string model, byte[] payload, DateTimeOffset created, string? minimumVersion = null) =>
        new(product, ArtifactKind.Firmware, [model], version, minimumVersion, payload.Length,
            Convert.ToHexStringLower(SHA256.HashData(payload)), null, created);

    /// <summary>A <c>.cota</c> package: the header with <paramref name="manifest"/> signed by <paramref name="signer"/>, then <paramref name="payload"/>.</summary>
    public static byte[] Package(OtaSigningKey signer, OtaManifest manifest, byte[] payload)
    {
        var manifestBytes = OtaPackageFormat.ManifestBytes(manifest);
        return [.. OtaPackageFormat.WriteHeader(manifestBytes, signer.Sign(manifestBytes)), .. payload];
    }

    /// <summary>Posts <paramref name="package"/> as it is and returns the fleet's answer, whatever it is.</summary>
    public async Task<HttpResponseMessage> PostPackageAsync(byte[] package, CancellationToken cancellationToken)
    {
        using var content = new ByteArrayContent(package);
        content.Headers.ContentType = new MediaTypeHeaderValue(OtaPackageFormat.MediaType);
        return await Http.PostAsync("api/ota/artifacts", content, cancellationToken);
    }

    /// <summary>Signs <paramref name="payload"/> under <paramref name="manifest"/> with the trusted key and uploads it; fails the test, with the fleet's answer, unless it is accepted.</summary>
    public async Task UploadAsync(OtaManifest manifest, byte[] payload, CancellationToken cancellationToken)
    {
        using var uploaded = await PostPackageAsync(Package(Key, manifest, payload), cancellationToken);
        Assert.That(uploaded.IsSuccessStatusCode, Is.True, $"the upload of {manifest.ArtifactId}: {await uploaded.Content.ReadAsStringAsync(cancellationToken)}");
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await Host.DisposeAsync();
        Key.Dispose();
        Directory.Delete(SpoolDirectory, recursive: true);
    }
}
