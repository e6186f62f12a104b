using CivicEdge.Fleet.Contracts.Ota;

namespace CivicEdge.Fleet.Core.Ota;

/// <summary>
/// Everything a <see cref="Campaign"/> knows, as plain data: what a store keeps, so that whichever fleet node leads next
/// takes the campaign up exactly where the last one left it (<see cref="Campaign.Restore"/>).
/// </summary>
public sealed record CampaignSnapshot(
    string Id,
    OtaManifest Manifest,
    CampaignSettings Settings,
    DateTimeOffset CreatedAt,
    CampaignState State,
    int CurrentWave,
    DateTimeOffset WaveStartedAt,
    DateTimeOffset? WavePassedAt,
    string? Reason,
    IReadOnlyList<CampaignDeviceSnapshot> Devices);
