using CivicEdge.Fleet.Contracts.Ota;

namespace CivicEdge.Fleet.Core.Ota;

/// <summary>
/// An artifact as the fleet stores it: the signed manifest bytes exactly as uploaded (so that an installer can check
/// the signature itself, and anyone can re-check it later), the signature, and who uploaded it when.
/// </summary>
/// <param name="Id">The artifact id, <see cref="OtaManifest.ArtifactId"/>.</param>
/// <param name="ManifestBytes">The manifest bytes the signature covers.</param>
/// <param name="Manifest">The manifest those bytes hold.</param>
/// <param name="Signature">The release signer's signature.</param>
/// <param name="UploadedBy">The caller, as the audit log names it.</param>
/// <param name="UploadedAt">When it was stored.</param>
public sealed record StoredArtifact(
    string Id,
    ReadOnlyMemory<byte> ManifestBytes,
    OtaManifest Manifest,
    OtaSignature Signature,
    string UploadedBy,
    DateTimeOffset UploadedAt)
{
    /// <summary>The package head that precedes the payload when the whole package is served.</summary>
    public byte[] PackageHeader() => OtaPackageFormat.WriteHeader(ManifestBytes.Span, Signature);
}
