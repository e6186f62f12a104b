using System.Text.Json.Serialization;

namespace CivicEdge.Fleet.Contracts.Health;

/// <summary>Whether a device reports as often as its cadence says it should.</summary>
public enum ConnectivityState
{
    /// <summary>Heard from within one cadence plus the grace.</summary>
    [JsonStringEnumMemberName("online")]
    Online,

    /// <summary>Missed at least one cadence (plus the grace), but fewer than the cadences that make it offline.</summary>
    [JsonStringEnumMemberName("late")]
    Late,

    /// <summary>Missed the configured number of cadences.</summary>
    [JsonStringEnumMemberName("offline")]
    Offline,

    /// <summary>Never heard from.</summary>
    [JsonStringEnumMemberName("unknown")]
    Unknown,
}
