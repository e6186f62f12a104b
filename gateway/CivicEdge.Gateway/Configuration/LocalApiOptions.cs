namespace CivicEdge.Gateway.Configuration;

/// <summary>
/// The <c>Gateway:Http</c> section: the gateway's local HTTP API (<c>GET /status</c>, <c>GET /metrics</c>) for installers
/// and monitoring.
/// </summary>
public sealed class LocalApiOptions
{
    public const string SectionName = "Gateway:Http";

    /// <summary>The child of the <c>Gateway</c> section that holds these keys.</summary>
    public const string SubsectionName = "Http";

    /// <summary>False to run no listener at all.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// Where it listens, <c>http://host:port</c>; loopback by default so that only someone on the gateway (or an SSH
    /// tunnel to it) can read it. Port 0 lets the system choose.
    /// </summary>
    public string Url { get; set; } = "http://127.0.0.1:5081";
}
