namespace CivicEdge.Fleet.Core.Ota;

/// <summary>Where one device of a campaign stands.</summary>
public enum CampaignDeviceState
{
    /// <summary>Waiting for its wave, a download slot or a maintenance window.</summary>
    Pending,

    /// <summary>Offered; downloading (holds a download slot).</summary>
    Offered,

    /// <summary>Verified, staged or rebooting into the new version.</summary>
    Installing,

    /// <summary>Says it runs the new version; now proving itself healthy through the health window.</summary>
    Confirmed,

    /// <summary>Runs the new version and stayed healthy through the health window.</summary>
    Succeeded,

    /// <summary>Did not make it: the reason says why. It runs (or went back to) its previous version.</summary>
    Failed,
}
