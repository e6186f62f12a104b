namespace CivicEdge.Fleet.Core.Ota;

/// <summary>One device of a <see cref="CampaignSnapshot"/>: every field of a <see cref="CampaignDevice"/>.</summary>
public sealed record CampaignDeviceSnapshot(
    CampaignTarget Target,
    int Wave,
    CampaignDeviceState State,
    int Attempt,
    long LastSequence,
    DateTimeOffset? OfferedAt,
    DateTimeOffset? ConfirmedAt,
    DateTimeOffset? FinishedAt,
    long? BytesReceived,
    string? RunningVersion,
    string? Reason);
