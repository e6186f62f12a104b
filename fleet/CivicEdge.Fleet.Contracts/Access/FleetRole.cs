using System.Text.Json.Serialization;

namespace CivicEdge.Fleet.Contracts.Access;

/// <summary>
/// What a person may do at the fleet, as the city's plans grade it (seed requirements FR-36, ARCHITECTURE.md Security);
/// the permissions of each role are one table in code (<c>RolePermissions</c> in the fleet core).
/// </summary>
public enum FleetRole
{
    /// <summary>Everything, including keys, credentials and the audit log.</summary>
    [JsonStringEnumMemberName("admin")]
    Admin,

    /// <summary>Runs the devices: registers them, changes twins, sends commands, handles alarms.</summary>
    [JsonStringEnumMemberName("operator")]
    Operator,

    /// <summary>On site: claims and commissions devices and reads what they report.</summary>
    [JsonStringEnumMemberName("installer")]
    Installer,

    /// <summary>A supervisory platform (FR-15): reads data and aggregates of the tenants it supervises, changes nothing.</summary>
    [JsonStringEnumMemberName("regulator")]
    Regulator,
}
