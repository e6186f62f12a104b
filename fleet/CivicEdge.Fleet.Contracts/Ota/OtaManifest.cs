using System.Text.Json.Serialization;

namespace CivicEdge.Fleet.Contracts.Ota;

/// <summary>
/// What an OTA artifact is and what it fits: the part of a package the signature covers. The payload is bound to it
/// by <see cref="Size"/> and <see cref="Sha256"/>, so a signature over the manifest vouches for the payload too.
/// </summary>
/// <param name="Product">What the payload is, e.g. <c>pole-controller</c> or <c>civicedge-gateway</c>; one topic level of characters.</param>
/// <param name="Kind">Firmware for a field device or the gateway's own software.</param>
/// <param name="HardwareModels">The hardware models it runs on (compared without regard to case); at least one.</param>
/// <param name="Version">Its semantic version (SemVer 2.0.0).</param>
/// <param name="MinimumVersion">The oldest version it may be installed over; null when it fits any.</param>
/// <param name="Size">The payload's length in bytes.</param>
/// <param name="Sha256">The payload's SHA-256, 64 lowercase hex digits.</param>
/// <param name="ReleaseNotes">What changed, for people; may be null.</param>
/// <param name="Created">When it was signed (UTC).</param>
public sealed record OtaManifest(
    string Product,
    ArtifactKind Kind,
    IReadOnlyList<string> HardwareModels,
    string Version,
    string? MinimumVersion,
    long Size,
    string Sha256,
    string? ReleaseNotes,
    DateTimeOffset Created)
{
    /// <summary>How the fleet names the artifact: product and version, e.g. <c>pole-controller@2.4.0</c>.</summary>
    [JsonIgnore]
    public string ArtifactId => $"{Product}@{Version}";
}
