namespace CivicEdge.Fleet.Contracts.Ota;

/// <summary>An artifact the fleet holds, as its REST API shows it.</summary>
/// <param name="Id">The artifact id, <see cref="OtaManifest.ArtifactId"/>.</param>
/// <param name="Manifest">What it is and what it fits.</param>
/// <param name="Signature">Who signed it.</param>
/// <param name="UploadedBy">The caller that uploaded it, as the audit log names it.</param>
/// <param name="UploadedAt">When the fleet stored it.</param>
/// <param name="PayloadPath">Where its payload is served, relative to the API's base, with HTTP range requests.</param>
/// <param name="PackagePath">Where the whole signed package is served.</param>
public sealed record OtaArtifact(
    string Id,
    OtaManifest Manifest,
    OtaSignature Signature,
    string UploadedBy,
    DateTimeOffset UploadedAt,
    string PayloadPath,
    string PackagePath);
