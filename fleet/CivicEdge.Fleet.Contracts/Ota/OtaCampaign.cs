namespace CivicEdge.Fleet.Contracts.Ota;

/// <summary>A campaign as the API shows it: where it stands, why, and its progress per wave (and per device when asked for one).</summary>
/// <param name="Id">Its id.</param>
/// <param name="ArtifactId">What it rolls out.</param>
/// <param name="Version">The version it installs.</param>
/// <param name="State"><c>running</c>, <c>paused</c>, <c>halted</c>, <c>cancelled</c> or <c>completed</c>.</param>
/// <param name="Reason">Why it halted, was paused, cancelled or completed: the wave, its counts and the first devices' reasons.</param>
/// <param name="CurrentWave">The wave being offered or soaked, from 1.</param>
/// <param name="Tenant">The tenant it is confined to; null for every tenant.</param>
/// <param name="CreatedBy">Who created it.</param>
/// <param name="CreatedAt">When (UTC).</param>
/// <param name="Waves">Each wave's counts.</param>
/// <param name="Devices">Each device, for one campaign; null in the list.</param>
/// <param name="Windows">When offers may start: local times such as <c>22:00-04:00</c> and <c>daylight+30m</c>; empty for any time.</param>
/// <param name="UtcOffset">The city's offset from UTC the local times are read in.</param>
/// <param name="Location">Where a device without a place in the ledger is taken to be for the daylight window, <c>22.54,114.06</c>; null to hold such devices.</param>
public sealed record OtaCampaign(
    string Id,
    string ArtifactId,
    string Version,
    string State,
    string? Reason,
    int CurrentWave,
    string? Tenant,
    string CreatedBy,
    DateTimeOffset CreatedAt,
    IReadOnlyList<OtaCampaignWave> Waves,
    IReadOnlyList<OtaCampaignDevice>? Devices,
    IReadOnlyList<string>? Windows = null,
    TimeSpan? UtcOffset = null,
    string? Location = null)
{
    /// <summary>The image's size in bytes: a device's <see cref="OtaCampaignDevice.BytesReceived"/> against it is its progress.</summary>
    public long? Size { get; init; }
}
