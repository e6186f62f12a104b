using System.Text.Json.Serialization;

namespace CivicEdge.Fleet.Contracts.Access;

/// <summary>How an audited action ended.</summary>
public enum AuditOutcome
{
    /// <summary>Done as asked.</summary>
    [JsonStringEnumMemberName("succeeded")]
    Succeeded,

    /// <summary>Allowed, but refused or failed, e.g. a desired configuration that did not validate.</summary>
    [JsonStringEnumMemberName("failed")]
    Failed,

    /// <summary>Refused for want of credentials, permission or tenant scope.</summary>
    [JsonStringEnumMemberName("denied")]
    Denied,
}
