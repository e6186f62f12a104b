namespace CivicEdge.Fleet.Server.Security;

/// <summary>
/// TLS on the broker connection (<c>Fleet:Broker:Tls</c>). With the embedded broker, <c>Fleet:Broker:Port</c> then
/// speaks TLS only, with a certificate the fleet CA issues for <see cref="ServerNames"/> unless one is configured, and
/// devices may authenticate with client certificates of the fleet CA. With an external broker, the fleet connects to it
/// over TLS, trusting <see cref="CaFile"/>.
/// </summary>
public sealed class BrokerTlsOptions
{
    public bool Enabled { get; set; }

    /// <summary>The broker's certificate (PEM); empty for one issued by the fleet CA.</summary>
    public string CertificateFile { get; set; } = string.Empty;

    /// <summary>The private key of <see cref="CertificateFile"/> (PEM).</summary>
    public string KeyFile { get; set; } = string.Empty;

    /// <summary>
    /// The CA (PEM) the fleet's client trusts the broker's certificate by; empty for the fleet CA with the embedded
    /// broker, the system trust store with an external one.
    /// </summary>
    public string CaFile { get; set; } = string.Empty;

    /// <summary>
    /// Host names and IP addresses, comma-separated, the issued certificate carries: every name devices connect by.
    /// Empty for <c>Fleet:Broker:Host</c>, <c>localhost</c>, 127.0.0.1 and the bind address.
    /// </summary>
    public string ServerNames { get; set; } = string.Empty;
}
