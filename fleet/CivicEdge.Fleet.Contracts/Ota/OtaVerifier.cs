using System.Globalization;

namespace CivicEdge.Fleet.Contracts.Ota;

/// <summary>
/// Decides whether an artifact may be stored or installed: signed by a trusted key over the exact manifest bytes,
/// a manifest that is well formed, a payload of that size and SHA-256, and a fit for the device (kind, hardware model,
/// minimum version, newer than what runs). Pure: no I/O, no clock; every refusal says what was expected and found.
/// </summary>
public sealed class OtaVerifier
{
    private readonly Dictionary<string, OtaPublicKey> _trusted;

    public OtaVerifier(IEnumerable<OtaPublicKey> trustedKeys)
    {
        ArgumentNullException.ThrowIfNull(trustedKeys);
        _trusted = trustedKeys.ToDictionary(k => k.KeyId, StringComparer.Ordinal);
    }

    public IReadOnlyCollection<string> TrustedKeyIds => _trusted.Keys;

    /// <summary>Checks a package head: its signature, then its manifest.</summary>
    public OtaVerification VerifyHeader(OtaPackageHeader header)
    {
        ArgumentNullException.ThrowIfNull(header);
        return VerifyManifest(header.ManifestBytes.Span, header.Manifest, header.Signature);
    }

    /// <summary>Checks the signature over <paramref name="manifestBytes"/>, then the manifest those bytes hold.</summary>
    public OtaVerification VerifyManifest(ReadOnlySpan<byte> manifestBytes, OtaManifest manifest, OtaSignature signature)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        ArgumentNullException.ThrowIfNull(signature);
        if (!string.Equals(signature.Algorithm, OtaSignature.Es256, StringComparison.Ordinal))
            return OtaVerification.Refused(OtaVerificationFailure.UnsupportedAlgorithm, $"expected a signature of algorithm '{OtaSignature.Es256}', found '{signature.Algorithm}'");
        if (!_trusted.TryGetValue(signature.KeyId, out var key))
        {
            var trusted = _trusted.Count == 0 ? "none is configured" : string.Join(", ", _trusted.Keys.Order(StringComparer.Ordinal));
            return OtaVerification.Refused(OtaVerificationFailure.UntrustedKey, $"expected a signature by a trusted key ({trusted}), found one by key '{signature.KeyId}'");
        }

        var value = new byte[64];
        if (!Convert.TryFromBase64String(signature.Value, value, out var written) || written != 64)
            return OtaVerification.Refused(OtaVerificationFailure.BadSignature, $"expected a signature value of 64 bytes (r‖s) in base64, found '{Shorten(signature.Value)}'");
        if (!key.Verify(manifestBytes, value))
            return OtaVerification.Refused(OtaVerificationFailure.BadSignature, $"the signature by key '{signature.KeyId}' does not match the manifest bytes: the manifest was changed after signing, or signed by another key");

        return CheckManifest(manifest);
    }

    /// <summary>The manifest's fields as the contract says, before anything is signed or stored.</summary>
    public static OtaVerification CheckManifest(OtaManifest manifest)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        if (!Topics.IsValidSegment(manifest.Product) || manifest.Product.Contains('@', StringComparison.Ordinal) || manifest.Product.Any(char.IsWhiteSpace))
            return Malformed($"expected 'product' as a name without '/', '+', '#', '@' or spaces, found '{manifest.Product}'");
        if (!Enum.IsDefined(manifest.Kind))
            return Malformed($"expected 'kind' firmware or gateway, found '{manifest.Kind}'");
        if (manifest.HardwareModels is null || manifest.HardwareModels.Count == 0 || manifest.HardwareModels.Any(string.IsNullOrWhiteSpace))
            return Malformed("expected 'hardwareModels' to name at least one hardware model, found none or a blank one");
        if (!SemanticVersion.TryParse(manifest.Version, out var version, out var versionError))
            return Malformed($"'version': {versionError}");
        if (manifest.MinimumVersion is { } minimumText)
        {
            if (!SemanticVersion.TryParse(minimumText, out var minimum, out var minimumError))
                return Malformed($"'minimumVersion': {minimumError}");
            if (minimum > version)
                return Malformed($"expected 'minimumVersion' no newer than 'version' {manifest.Version}, found {minimumText}");
        }
        if (manifest.Size <= 0)
            return Malformed($"expected 'size' as the payload's length, at least 1 byte, found {manifest.Size.ToString(CultureInfo.InvariantCulture)}");
        if (manifest.Sha256 is not { Length: 64 } hash || hash.AsSpan().IndexOfAnyExcept("0123456789abcdef") >= 0)
            return Malformed($"expected 'sha256' as 64 lowercase hex digits, found '{manifest.Sha256}'");
        return OtaVerification.Valid;
    }

    /// <summary>Checks a payload's length and SHA-256 (lowercase hex) against the manifest.</summary>
    public static OtaVerification CheckPayload(OtaManifest manifest, long length, string sha256)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        if (length != manifest.Size)
            return OtaVerification.Refused(OtaVerificationFailure.SizeMismatch, $"expected a payload of {manifest.Size} bytes as the manifest says, found {length}");
        if (!string.Equals(sha256, manifest.Sha256, StringComparison.OrdinalIgnoreCase))
            return OtaVerification.Refused(OtaVerificationFailure.HashMismatch, $"expected a payload with SHA-256 {manifest.Sha256} as the manifest says, found {sha256}");
        return OtaVerification.Valid;
    }

    /// <summary>
    /// Whether the artifact fits a device of <paramref name="kind"/> and <paramref name="hardwareModel"/> that runs
    /// <paramref name="runningVersion"/>: the manifest names the model, the running version is at least the minimum,
    /// and the new version is newer (SemVer precedence).
    /// </summary>
    public static OtaVerification CheckFit(OtaManifest manifest, ArtifactKind kind, string hardwareModel, string runningVersion)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        if (manifest.Kind != kind)
            return OtaVerification.Refused(OtaVerificationFailure.WrongKind, $"expected an artifact of kind {Name(kind)}, found one of kind {Name(manifest.Kind)}");
        if (!manifest.HardwareModels.Contains(hardwareModel, StringComparer.OrdinalIgnoreCase))
            return OtaVerification.Refused(OtaVerificationFailure.WrongHardwareModel, $"expected an artifact for hardware model '{hardwareModel}', found one for {string.Join(", ", manifest.HardwareModels.Select(m => $"'{m}'"))}");
        if (!SemanticVersion.TryParse(manifest.Version, out var version, out var versionError))
            return Malformed($"'version': {versionError}");
        if (!SemanticVersion.TryParse(runningVersion, out var running, out var runningError))
            return Malformed($"the running version: {runningError}");
        if (manifest.MinimumVersion is { } minimumText && SemanticVersion.TryParse(minimumText, out var minimum) && running < minimum)
            return OtaVerification.Refused(OtaVerificationFailure.BelowMinimumVersion, $"expected the device to run {minimumText} or newer before installing {manifest.Version}, found {runningVersion}");
        if (version <= running)
            return OtaVerification.Refused(OtaVerificationFailure.NotNewer, $"expected a version newer than the running {runningVersion}, found {manifest.Version}");
        return OtaVerification.Valid;
    }

    private static OtaVerification Malformed(string message) => OtaVerification.Refused(OtaVerificationFailure.MalformedManifest, message);

    private static string Name(ArtifactKind kind) => kind == ArtifactKind.Firmware ? "firmware" : "gateway";

    private static string Shorten(string value) => value.Length <= 16 ? value : value[..16] + "…";
}
