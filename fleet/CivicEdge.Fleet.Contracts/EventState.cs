using System.Text.Json.Serialization;

namespace CivicEdge.Fleet.Contracts;

/// <summary>Where an edge condition stands: an alarm is raised once and cleared once, an event merely happens.</summary>
public enum EventState
{
    /// <summary>The condition began (an alarm is raised).</summary>
    [JsonStringEnumMemberName("raised")]
    Raised,

    /// <summary>The condition ended (an alarm is cleared).</summary>
    [JsonStringEnumMemberName("cleared")]
    Cleared,

    /// <summary>Something happened that has no end, e.g. a door was opened with the right key.</summary>
    [JsonStringEnumMemberName("occurred")]
    Occurred,
}
