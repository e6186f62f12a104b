namespace CivicEdge.Gateway.Configuration;

/// <summary>The <c>Gateway</c> section: who the gateway is and where it keeps its files.</summary>
public sealed class GatewayOptions
{
    public const string SectionName = "Gateway";

    public const string DefaultDataPath = "civicedge-gateway.db";

    /// <summary>The gateway's unified device code; it becomes one MQTT topic level and the MQTT client id.</summary>
    public string Id { get; set; } = string.Empty;

    /// <summary>The LiteDB file that holds the outbox; relative paths start at the current directory.</summary>
    public string DataPath { get; set; } = DefaultDataPath;

    /// <summary>
    /// The hardware profiles directory. When not configured it is the directory named by <c>CIVICEDGE_PROFILES</c>,
    /// else the first <c>hardware/profiles</c> found walking up from the program's directory and then the current one.
    /// </summary>
    public string? ProfilesPath { get; set; }
}
