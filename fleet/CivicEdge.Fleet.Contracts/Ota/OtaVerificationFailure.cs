namespace CivicEdge.Fleet.Contracts.Ota;

/// <summary>Why an artifact was refused.</summary>
public enum OtaVerificationFailure
{
    /// <summary>The package head or the manifest's fields are not as the contract says.</summary>
    MalformedManifest,

    /// <summary>The signature names an algorithm other than ES256.</summary>
    UnsupportedAlgorithm,

    /// <summary>The signing key is not among the trusted keys.</summary>
    UntrustedKey,

    /// <summary>The signature does not match the manifest bytes under the named key.</summary>
    BadSignature,

    /// <summary>The payload's length differs from the manifest's size.</summary>
    SizeMismatch,

    /// <summary>The payload's SHA-256 differs from the manifest's.</summary>
    HashMismatch,

    /// <summary>The device's hardware model is not among the manifest's models.</summary>
    WrongHardwareModel,

    /// <summary>The device runs a version older than the manifest's minimum.</summary>
    BelowMinimumVersion,

    /// <summary>The device already runs this version or a newer one.</summary>
    NotNewer,

    /// <summary>The artifact is for another kind of installer (firmware offered to a gateway's self-update, or the reverse).</summary>
    WrongKind,
}
