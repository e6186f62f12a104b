using System.Text.Json.Serialization;

namespace CivicEdge.Fleet.Contracts;

/// <summary>How far a reported value can be trusted.</summary>
public enum Quality
{
    /// <summary>Read from the device in this poll and within the profile's range.</summary>
    [JsonStringEnumMemberName("good")]
    Good,

    /// <summary>The last good value, repeated because the device has not answered recently.</summary>
    [JsonStringEnumMemberName("stale")]
    Stale,

    /// <summary>The device did not answer or answered with an error; the value is not meaningful.</summary>
    [JsonStringEnumMemberName("commError")]
    CommError,

    /// <summary>Read from the device but outside the profile's plausible range.</summary>
    [JsonStringEnumMemberName("outOfRange")]
    OutOfRange,
}
