using System.Text.Json.Serialization;

namespace CivicEdge.Fleet.Contracts.Ota;

/// <summary>What an artifact installs onto.</summary>
public enum ArtifactKind
{
    /// <summary>Firmware for a field device (pole controller, meter node, environment station), relayed by its gateway or fetched by the device itself.</summary>
    [JsonStringEnumMemberName("firmware")]
    Firmware,

    /// <summary>The edge gateway's own software, installed by the gateway into its inactive slot.</summary>
    [JsonStringEnumMemberName("gateway")]
    Gateway,
}
