using System.Text.Json.Serialization;

namespace CivicEdge.Fleet.Contracts.Ota;

/// <summary>
/// An installer's report on one offer, on <see cref="Topics.OtaStatus"/> (QoS 1). Reports on an offer are numbered
/// from 1 by <see cref="Sequence"/>, and the installer persists the number before it sends, so after a power loss it
/// re-sends its latest report with the same number: the fleet keeps, per (campaign, target, attempt), only a report
/// numbered higher than the last it applied, and a repeat or a late straggler changes nothing.
/// </summary>
/// <param name="CampaignId">The offer's campaign.</param>
/// <param name="Target">The device updated.</param>
/// <param name="Attempt">The offer's attempt.</param>
/// <param name="Sequence">1, 2, 3… per (campaign, target, attempt).</param>
/// <param name="Phase">Where the update stands.</param>
/// <param name="BytesReceived">While downloading: payload bytes received so far (a resumed download continues from here).</param>
/// <param name="RunningVersion">The version the device runs now; required with <see cref="OtaPhase.Confirmed"/> and <see cref="OtaPhase.RolledBack"/>.</param>
/// <param name="Reason">Why it failed or rolled back; null otherwise.</param>
/// <param name="At">When the installer made the report (UTC).</param>
public sealed record OtaStatusReport(
    string CampaignId,
    string Target,
    int Attempt,
    long Sequence,
    OtaPhase Phase,
    long? BytesReceived,
    string? RunningVersion,
    string? Reason,
    DateTimeOffset At)
{
    /// <summary>True once the installer has nothing more to say about this offer.</summary>
    [JsonIgnore]
    public bool IsFinal => Phase is OtaPhase.Confirmed or OtaPhase.Failed or OtaPhase.RolledBack;
}
