using System.Text.Json.Serialization;

namespace CivicEdge.Fleet.Contracts;

/// <summary>Where the buses and devices a gateway runs come from.</summary>
public enum ConfigurationOrigin
{
    /// <summary>The gateway's local configuration file.</summary>
    [JsonStringEnumMemberName("local")]
    Local,

    /// <summary>The twin's desired state, which takes precedence over the local file once received.</summary>
    [JsonStringEnumMemberName("fleet")]
    Fleet,
}
