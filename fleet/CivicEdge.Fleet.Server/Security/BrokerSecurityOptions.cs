namespace CivicEdge.Fleet.Server.Security;

/// <summary>
/// Who may use the broker and how (<c>Fleet:Broker</c>, beside <see cref="BrokerOptions"/>): authentication against the
/// ledger, the fleet's own MQTT user, the payload limit and TLS.
/// </summary>
public sealed class BrokerSecurityOptions
{
    /// <summary>
    /// Every connection to the embedded broker must authenticate as a device of the ledger (or as the fleet) and stays
    /// within its topic ACL. <c>false</c> is for a lab only: anyone may connect, publish and subscribe anywhere.
    /// </summary>
    public bool Authentication { get; set; } = true;

    /// <summary>The fleet's own MQTT user name; no device code may start with <c>civicedge-fleet</c>.</summary>
    public string Username { get; set; } = "civicedge-fleet";

    /// <summary>
    /// A file whose first line is the fleet's MQTT password; empty to use the secret generated at first start in the
    /// security folder (<c>fleet-mqtt.secret</c>).
    /// </summary>
    public string PasswordFile { get; set; } = string.Empty;

    /// <summary>The largest message payload the embedded broker accepts; larger ones are refused and counted.</summary>
    public int MaxPayloadBytes { get; set; } = 1024 * 1024;

    /// <summary>TLS for the broker connection (<c>Fleet:Broker:Tls</c>).</summary>
    public BrokerTlsOptions Tls { get; set; } = new();
}
