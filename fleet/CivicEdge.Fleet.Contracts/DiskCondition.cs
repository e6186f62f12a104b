using System.Text.Json.Serialization;

namespace CivicEdge.Fleet.Contracts;

/// <summary>Whether a gateway can write its outbox.</summary>
public enum DiskCondition
{
    /// <summary>Commits succeed.</summary>
    [JsonStringEnumMemberName("healthy")]
    Healthy,

    /// <summary>The disk is full: readings wait in memory, bounded, and the gateway retries.</summary>
    [JsonStringEnumMemberName("diskFull")]
    DiskFull,

    /// <summary>Writes fail for another reason (an I/O error, a damaged file): readings wait in memory and the gateway retries.</summary>
    [JsonStringEnumMemberName("writeFailing")]
    WriteFailing,
}
