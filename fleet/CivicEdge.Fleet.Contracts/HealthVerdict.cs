using System.Text.Json.Serialization;

namespace CivicEdge.Fleet.Contracts;

/// <summary>How a field device is doing, as its gateway judges it.</summary>
public enum HealthVerdict
{
    /// <summary>It answers, within the error rates allowed.</summary>
    [JsonStringEnumMemberName("ok")]
    Ok,

    /// <summary>It answers, but misses polls or errs more than allowed; the reasons say how.</summary>
    [JsonStringEnumMemberName("degraded")]
    Degraded,

    /// <summary>It does not answer.</summary>
    [JsonStringEnumMemberName("failed")]
    Failed,
}
