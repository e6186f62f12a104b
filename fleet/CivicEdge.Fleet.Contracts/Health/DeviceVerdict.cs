using System.Text.Json.Serialization;

namespace CivicEdge.Fleet.Contracts.Health;

/// <summary>The fleet's verdict on a device, from its connectivity and every reason found against it.</summary>
public enum DeviceVerdict
{
    /// <summary>Reporting on time, nothing against it.</summary>
    [JsonStringEnumMemberName("ok")]
    Ok,

    /// <summary>Reporting, but late or with something to look at during working hours.</summary>
    [JsonStringEnumMemberName("degraded")]
    Degraded,

    /// <summary>Reporting, but something in it no longer works: a bus that does not answer, a full disk.</summary>
    [JsonStringEnumMemberName("failing")]
    Failing,

    /// <summary>Not heard from for the cadences that make a device offline.</summary>
    [JsonStringEnumMemberName("offline")]
    Offline,

    /// <summary>Never heard from, so nothing can be said.</summary>
    [JsonStringEnumMemberName("unknown")]
    Unknown,
}
