using System.Text.Json.Serialization;

namespace CivicEdge.Fleet.Contracts.Ledger;

/// <summary>How a device proves who it is to the broker.</summary>
public enum CredentialKind
{
    /// <summary>MQTT user name (the device code) and a random secret issued by the fleet.</summary>
    [JsonStringEnumMemberName("password")]
    Password,

    /// <summary>A TLS client certificate issued by the fleet's CA, common name = device code.</summary>
    [JsonStringEnumMemberName("certificate")]
    Certificate,
}
