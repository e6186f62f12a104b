namespace CivicEdge.Fleet.Core.Ota;

/// <summary>Where a campaign stands.</summary>
public enum CampaignState
{
    /// <summary>Offering its current wave, or soaking before the next.</summary>
    Running,

    /// <summary>Paused by a person: no new offers; updates under way finish and are counted.</summary>
    Paused,

    /// <summary>Stopped by itself: a wave failed more than the threshold allows; the reason says which and why.</summary>
    Halted,

    /// <summary>Cancelled by a person: no new offers, for good.</summary>
    Cancelled,

    /// <summary>Every wave passed.</summary>
    Completed,
}
