using System.Security.Cryptography;
using CivicEdge.Fleet.Contracts.Ota;

namespace CivicEdge.Fleet.Contracts.Tests.Ota;

/// <summary>Signed test artifacts built the way the release signer builds them.</summary>
internal static class OtaTestArtifacts
{
    public static readonly DateTimeOffset Created = new(2026, 11, 28, 22, 0, 0, TimeSpan.Zero);

    public static OtaManifest ManifestFor(byte[] payload, string version = "2.4.0", string? minimumVersion = "2.0.0") =>
        new("pole-controller", ArtifactKind.Firmware, ["slc-200", "slc-210"], version, minimumVersion, payload.Length,
            Convert.ToHexStringLower(SHA256.HashData(payload)), "Dims to 10 % without flicker.", Created);

    public static byte[] Package(OtaSigningKey key, OtaManifest manifest, byte[] payload)
    {
        var manifestBytes = OtaPackageFormat.ManifestBytes(manifest);
        return [.. OtaPackageFormat.WriteHeader(manifestBytes, key.Sign(manifestBytes)), .. payload];
    }
}
