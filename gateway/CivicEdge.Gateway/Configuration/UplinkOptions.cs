namespace CivicEdge.Gateway.Configuration;

/// <summary>The <c>Uplink</c> section: how the gateway reaches the fleet's MQTT broker and paces delivery.</summary>
public sealed class UplinkOptions
{
    public const string SectionName = "Uplink";

    /// <summary>The broker's host name or address.</summary>
    public string Host { get; set; } = "127.0.0.1";

    /// <summary>The broker's TCP port.</summary>
    public int Port { get; set; } = 1883;

    /// <summary>The most records sent in one batch.</summary>
    public int BatchSize { get; set; } = 200;

    /// <summary>
    /// The largest MQTT message, in bytes: a batch is cut to fit. Brokers limit packets (AWS IoT Core at 128 KB, many
    /// installations lower); a slow cellular link also prefers smaller messages.
    /// </summary>
    public int MaxMessageBytes { get; set; } = 256 * 1024;

    /// <summary>The most batches of one stream sent and not yet acknowledged at any time.</summary>
    public int MaxInFlight { get; set; } = 4;

    /// <summary>
    /// The most records sent per second over all streams (sends of the same batch again included): catching up after a
    /// long outage goes at this pace instead of flooding the broker and the fleet.
    /// </summary>
    public int MaxRecordsPerSecond { get; set; } = 2_000;

    /// <summary>
    /// When the oldest record still waiting in a stream is older than this, the newest reading of every device also goes
    /// out on the live topic, so that the fleet shows current values while the backlog drains.
    /// </summary>
    public TimeSpan LiveAfter { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How often live values go out while a backlog drains.</summary>
    public TimeSpan LiveInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How long to wait for the fleet's acknowledgement of a batch before sending it again.</summary>
    public TimeSpan AckTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The first wait before reconnecting; it doubles with every failed attempt.</summary>
    public TimeSpan ReconnectDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest wait between reconnection attempts.</summary>
    public TimeSpan MaxReconnectDelay { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>The MQTT keep-alive period; a dead connection is noticed within about one and a half of these.</summary>
    public TimeSpan KeepAlive { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Connect over TLS (MQTT over TLS, usually port 8883). The broker's certificate is always checked.</summary>
    public bool Tls { get; set; }

    /// <summary>
    /// PEM file of the certificate authorities the broker's certificate must chain to; when empty, the operating
    /// system's trust store decides.
    /// </summary>
    public string? CaFile { get; set; }

    /// <summary>PEM file of the gateway's own certificate, for brokers that authenticate clients by certificate.</summary>
    public string? CertificateFile { get; set; }

    /// <summary>PEM file of the private key of <see cref="CertificateFile"/>.</summary>
    public string? KeyFile { get; set; }

    /// <summary>The name the broker's certificate must carry; <see cref="Host"/> when empty.</summary>
    public string? ServerName { get; set; }

    /// <summary>The gateway's MQTT user name (its own, issued at provisioning).</summary>
    public string? Username { get; set; }

    /// <summary>The gateway's MQTT password; prefer <see cref="PasswordFile"/>, which keeps it out of the configuration.</summary>
    public string? Password { get; set; }

    /// <summary>A file holding the MQTT password (its first line), readable only by the gateway's user.</summary>
    public string? PasswordFile { get; set; }
}
