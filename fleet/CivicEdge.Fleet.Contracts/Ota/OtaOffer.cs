namespace CivicEdge.Fleet.Contracts.Ota;

/// <summary>
/// The fleet offers an update, on <see cref="Topics.Ota"/> (QoS 1, not retained), to a gateway for itself or for a
/// device behind it, or to a device with its own uplink. The fleet re-sends an offer until the target reports on it,
/// so an installer handles each (<see cref="CampaignId"/>, <see cref="Target"/>, <see cref="Attempt"/>) once and
/// answers a repeat with its latest status.
/// </summary>
/// <param name="CampaignId">The campaign the offer belongs to.</param>
/// <param name="Target">The device to update: the addressed gateway itself or a device it runs.</param>
/// <param name="Attempt">1 for the first offer to this target in this campaign, one more for each retry of a failed one.</param>
/// <param name="ArtifactId">The artifact, <see cref="OtaManifest.ArtifactId"/>.</param>
/// <param name="Kind">Firmware for a field device or the gateway's own software.</param>
/// <param name="Version">The version to install.</param>
/// <param name="Size">The payload's length in bytes.</param>
/// <param name="Sha256">The payload's SHA-256, 64 lowercase hex digits.</param>
/// <param name="Manifest">The signed manifest bytes in base64 — exactly the bytes signed, which no JSON re-escaping can alter — so that the installer checks the signature itself.</param>
/// <param name="Signature">The release signer's signature over <paramref name="Manifest"/>.</param>
/// <param name="DownloadPath">Where to fetch the payload on the fleet's HTTP API, relative to its base address; it answers HTTP range requests (RFC 9110 §14) so a download resumes after a power loss.</param>
/// <param name="Deadline">After this instant (UTC) the offer must not be started; the fleet counts a target that has not confirmed by then as failed.</param>
public sealed record OtaOffer(
    string CampaignId,
    string Target,
    int Attempt,
    string ArtifactId,
    ArtifactKind Kind,
    string Version,
    long Size,
    string Sha256,
    string Manifest,
    OtaSignature Signature,
    string DownloadPath,
    DateTimeOffset Deadline);
