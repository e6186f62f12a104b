namespace CivicEdge.Fleet.Contracts.Ota;

/// <summary>The text head of a package: the signed manifest bytes, the manifest they hold, and the signature.</summary>
/// <param name="ManifestBytes">The manifest exactly as signed.</param>
/// <param name="Manifest">The manifest read from those bytes.</param>
/// <param name="Signature">The signature over <paramref name="ManifestBytes"/>.</param>
/// <param name="Length">How many bytes the head takes; the payload starts there.</param>
public sealed record OtaPackageHeader(ReadOnlyMemory<byte> ManifestBytes, OtaManifest Manifest, OtaSignature Signature, int Length);
