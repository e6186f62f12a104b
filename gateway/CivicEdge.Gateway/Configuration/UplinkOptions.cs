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

    /// <summary>The most batches sent and not yet acknowledged at any time.</summary>
    public int MaxInFlight { get; set; } = 1;

    /// <summary>How long to wait for the fleet's acknowledgement of a batch before sending it again.</summary>
    public TimeSpan AckTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The first wait before reconnecting; it doubles with every failed attempt.</summary>
    public TimeSpan ReconnectDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest wait between reconnection attempts.</summary>
    public TimeSpan MaxReconnectDelay { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>The MQTT keep-alive period; a dead connection is noticed within about one and a half of these.</summary>
    public TimeSpan KeepAlive { get; set; } = TimeSpan.FromSeconds(15);
}
