using System.Text.Json.Serialization;

namespace CivicEdge.Fleet.Contracts.Ledger;

/// <summary>
/// Where a device stands in its life (FR-41): register → install → commission → operate → maintain → decommission.
/// Only the transitions of the fleet's lifecycle rules are allowed, each recorded with who, when and why.
/// </summary>
public enum LifecycleState
{
    /// <summary>In the ledger, not yet on site.</summary>
    [JsonStringEnumMemberName("registered")]
    Registered,

    /// <summary>Mounted on site and claimed by its installer.</summary>
    [JsonStringEnumMemberName("installed")]
    Installed,

    /// <summary>Tested on site: every sensor answers.</summary>
    [JsonStringEnumMemberName("commissioned")]
    Commissioned,

    /// <summary>Operating.</summary>
    [JsonStringEnumMemberName("inService")]
    InService,

    /// <summary>Out of service for maintenance or repair.</summary>
    [JsonStringEnumMemberName("maintenance")]
    Maintenance,

    /// <summary>Removed for good; its credentials are revoked and its code is never used again.</summary>
    [JsonStringEnumMemberName("decommissioned")]
    Decommissioned,
}
