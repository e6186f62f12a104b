namespace CivicEdge.Fleet.Contracts.Ledger;

/// <summary>
/// Where a device stands in its life (FR-41): register → install → commission → operate → maintain → decommission.
/// Only the transitions of the fleet's lifecycle rules are allowed, each recorded with who, when and why.
/// </summary>
public enum LifecycleState
{
    /// <summary>In the ledger, not yet on site.</summary>
    Registered,

    /// <summary>Mounted on site and claimed by its installer.</summary>
    Installed,

    /// <summary>Tested on site: every sensor answers.</summary>
    Commissioned,

    /// <summary>Operating.</summary>
    InService,

    /// <summary>Out of service for maintenance or repair.</summary>
    Maintenance,

    /// <summary>Removed for good; its credentials are revoked and its code is never used again.</summary>
    Decommissioned,
}
