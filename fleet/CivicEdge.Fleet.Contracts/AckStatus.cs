using System.Text.Json.Serialization;

namespace CivicEdge.Fleet.Contracts;

/// <summary>What the fleet did with a batch.</summary>
public enum AckStatus
{
    /// <summary>Every record of the batch is durably stored (new ones now, duplicates earlier): the source may delete them.</summary>
    [JsonStringEnumMemberName("persisted")]
    Persisted,

    /// <summary>The batch can never be stored as sent (malformed); the source must quarantine it rather than resend it.</summary>
    [JsonStringEnumMemberName("rejected")]
    Rejected,
}
