namespace CivicEdge.Firmware.Host;

/// <summary>Where a simulated device's IP link finds the fleet's broker, and how it trusts it.</summary>
public sealed class MqttNetworkLinkOptions
{
    /// <summary>The broker's host name or address.</summary>
    public required string Host { get; init; }

    /// <summary>The broker's port: 1883 in the clear, 8883 with TLS.</summary>
    public int Port { get; init; } = 1883;

    /// <summary>Connect over TLS.</summary>
    public bool Tls { get; init; }

    /// <summary>The name the broker's certificate must carry; the host when null.</summary>
    public string? ServerName { get; init; }

    /// <summary>A PEM file of the certificate authority that signs the broker's certificate; the system's trust store when null.</summary>
    public string? CaCertificateFile { get; init; }

    /// <summary>How long connecting, publishing (until the PUBACK) and subscribing may take before the link gives up.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The MQTT keep-alive: how soon the broker notices a dead device and publishes its last will.</summary>
    public TimeSpan KeepAlive { get; init; } = TimeSpan.FromSeconds(30);
}
