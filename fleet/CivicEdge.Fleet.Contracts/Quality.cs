using System.Text.Json.Serialization;

namespace CivicEdge.Fleet.Contracts;

/// <summary>How far a reported value can be trusted.</summary>
public enum Quality
{
    /// <summary>Read from the device in this poll and within the profile's range.</summary>
    [JsonStringEnumMemberName("good")]
    Good,

    /// <summary>
    /// The last value read, repeated because this point could not be read although the device answered (an exception
    /// response or a damaged answer to its read, or a value that was not a number).
    /// </summary>
    [JsonStringEnumMemberName("stale")]
    Stale,

    /// <summary>
    /// The device stopped answering: the value is the last one read, sent once so that the fleet sees the loss; it is
    /// not current.
    /// </summary>
    [JsonStringEnumMemberName("commError")]
    CommError,

    /// <summary>Read from the device but outside the profile's plausible range.</summary>
    [JsonStringEnumMemberName("outOfRange")]
    OutOfRange,
}
