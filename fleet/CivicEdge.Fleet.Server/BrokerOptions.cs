using CivicEdge.Fleet.Contracts;

namespace CivicEdge.Fleet.Server;

/// <summary>The MQTT broker the fleet ingests through, and the embedded one it can run (<c>Fleet:Broker</c>).</summary>
public sealed class BrokerOptions
{
    public const string Section = "Fleet:Broker";

    /// <summary>Run an MQTT 5 broker inside the fleet process; false to use an external broker at Host:Port.</summary>
    public bool Embedded { get; set; } = true;

    /// <summary>The host the fleet's MQTT client connects to (and the one announced to sources).</summary>
    public string Host { get; set; } = "127.0.0.1";

    /// <summary>The broker's TCP port: the embedded broker listens on it; the fleet's client connects to it.</summary>
    public int Port { get; set; } = 1883;

    /// <summary>The IP address the embedded broker binds (IPv4 or IPv6); <c>0.0.0.0</c> for every interface.</summary>
    public string BindAddress { get; set; } = "127.0.0.1";

    /// <summary>The MQTT client id of the fleet's ingest client; empty for one made of the host name and process id.</summary>
    public string ClientId { get; set; } = string.Empty;

    /// <summary>
    /// The filter telemetry is received with. Fleet nodes sharing the load behind an external broker subscribe with a
    /// shared subscription such as <c>$share/fleet/civic/v1/+/telemetry</c> (MQTT 5.0 §4.8.2).
    /// </summary>
    public string TelemetrySubscription { get; set; } = Topics.AllTelemetry;

    /// <summary>The filter births and deaths of sources are received with.</summary>
    public string StateSubscription { get; set; } = Topics.AllStates;

    /// <summary>The filter twin reported states are received with.</summary>
    public string ReportedSubscription { get; set; } = Topics.AllReported;

    /// <summary>The filter health reports are received with.</summary>
    public string HealthSubscription { get; set; } = Topics.AllHealth;
    /// <summary>The filter events (alarms) are received with; shared like telemetry when several fleet nodes ingest.</summary>
    public string EventsSubscription { get; set; } = Topics.AllEvents;

    /// <summary>The filter live values are received with; every node should see them, so not a shared subscription.</summary>
    public string LiveSubscription { get; set; } = Topics.AllLive;

    /// <summary>The wait before the first reconnection attempt; it doubles per failed attempt up to <see cref="MaxReconnectDelay"/>.</summary>
    public TimeSpan ReconnectDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest wait between reconnection attempts.</summary>
    public TimeSpan MaxReconnectDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The client id to connect with: <see cref="ClientId"/> or one unique to this process.</summary>
    public string EffectiveClientId =>
        string.IsNullOrEmpty(ClientId) ? $"civicedge-fleet-{Environment.MachineName}-{Environment.ProcessId}" : ClientId;
}
