namespace CivicEdge.Gateway.Configuration;

/// <summary>One entry of the <c>Devices</c> array: a field device the gateway polls.</summary>
public sealed class DeviceOptions
{
    /// <summary>The device's unified device code.</summary>
    public string Id { get; set; } = string.Empty;

    /// <summary>The model key of its hardware profile, e.g. <c>eastron-sdm630</c>.</summary>
    public string Profile { get; set; } = string.Empty;

    /// <summary>Where it answers, as <c>tcp://host:port</c> (port 502 when omitted).</summary>
    public string Endpoint { get; set; } = string.Empty;

    /// <summary>The Modbus unit identifier (slave address), 1..247.</summary>
    public int Unit { get; set; } = 1;

    /// <summary>How often to poll it (<c>5s</c> or <c>00:00:05</c>); when absent, the profile's poll interval.</summary>
    public TimeSpan? PollInterval { get; set; }
}
