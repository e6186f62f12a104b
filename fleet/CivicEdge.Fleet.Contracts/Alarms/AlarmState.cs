using System.Text.Json.Serialization;

namespace CivicEdge.Fleet.Contracts.Alarms;

/// <summary>
/// Where an alarm stands in its lifecycle: raised → acknowledged → assigned → cleared → closed. Raised, acknowledged
/// and assigned alarms are open: a repeat of the condition counts on the open alarm instead of opening another.
/// </summary>
public enum AlarmState
{
    /// <summary>The condition began; nobody has seen it yet.</summary>
    [JsonStringEnumMemberName("raised")]
    Raised,

    /// <summary>Someone has seen it.</summary>
    [JsonStringEnumMemberName("acknowledged")]
    Acknowledged,

    /// <summary>A person or team handles it.</summary>
    [JsonStringEnumMemberName("assigned")]
    Assigned,

    /// <summary>The condition ended: the device or the fleet said so, or someone cleared it by hand.</summary>
    [JsonStringEnumMemberName("cleared")]
    Cleared,

    /// <summary>Handled and filed; nothing changes it any more.</summary>
    [JsonStringEnumMemberName("closed")]
    Closed,
}
