using System.Text.Json.Serialization;

namespace CivicEdge.Fleet.Contracts;

/// <summary>What a gateway did with a new configuration.</summary>
public enum ConfigurationStatus
{
    /// <summary>Valid and running: only the buses and devices that changed were restarted.</summary>
    [JsonStringEnumMemberName("applied")]
    Applied,

    /// <summary>Invalid: the previous configuration keeps running; the errors say why.</summary>
    [JsonStringEnumMemberName("refused")]
    Refused,

    /// <summary>A valid local file, not applied because the fleet's desired configuration takes precedence.</summary>
    [JsonStringEnumMemberName("superseded")]
    Superseded,
}
