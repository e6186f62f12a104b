using System.Text.Json.Serialization;

namespace CivicEdge.Fleet.Contracts.Ota;

/// <summary>
/// Where an update on one target stands, as its installer reports it. The usual path is
/// downloading → verified → staged → rebooting → confirmed; <see cref="Failed"/> and <see cref="RolledBack"/> end it
/// without the new version. Only <see cref="Confirmed"/> — sent after the device booted the new version and passed its
/// own health window — counts as installed, and the fleet still waits for the device's health before counting it a success.
/// </summary>
public enum OtaPhase
{
    /// <summary>Fetching the payload; the report carries the bytes received so far.</summary>
    [JsonStringEnumMemberName("downloading")]
    Downloading,

    /// <summary>The whole payload is here; its size and SHA-256 match the manifest and the signature is trusted.</summary>
    [JsonStringEnumMemberName("verified")]
    Verified,

    /// <summary>Written to the inactive slot (or the device's update area), ready to boot.</summary>
    [JsonStringEnumMemberName("staged")]
    Staged,

    /// <summary>About to restart into the new version; the next report comes from the new version or the old one.</summary>
    [JsonStringEnumMemberName("rebooting")]
    Rebooting,

    /// <summary>Running the new version and healthy through the device's own health window; the report names the running version.</summary>
    [JsonStringEnumMemberName("confirmed")]
    Confirmed,

    /// <summary>Given up before the switch (download, verification, fit, storage); the reason says why. The old version still runs.</summary>
    [JsonStringEnumMemberName("failed")]
    Failed,

    /// <summary>The new version did not prove healthy and the device went back to the old one; the report names the running version.</summary>
    [JsonStringEnumMemberName("rolledBack")]
    RolledBack,
}
