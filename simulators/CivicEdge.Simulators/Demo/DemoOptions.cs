namespace CivicEdge.Simulators.Demo;

/// <summary>Where the demo finds the published executables, where it keeps its data and which ports it uses.</summary>
public sealed class DemoOptions
{
    /// <summary>The folder with one sub-folder per executable (<c>civicedge-fleet/civicedge-fleet</c>, …).</summary>
    public required string PublishDirectory { get; init; }

    /// <summary>The folder for the fleet's and the gateway's LiteDB files; emptied at start so every demo begins alike.</summary>
    public required string DataDirectory { get; init; }

    public string Host { get; init; } = "127.0.0.1";

    public int HttpPort { get; init; } = 5080;

    public int MqttPort { get; init; } = 1883;

    public int MeterPort { get; init; } = 5020;

    public string GatewayId { get; init; } = "gw-demo-01";

    public string MeterId { get; init; } = "mtr-demo-01";

    public string MeterModel { get; init; } = "eastron-sdm630";

    /// <summary>How long each process may take to become ready, and the readings to reach the fleet.</summary>
    public TimeSpan ReadyTimeout { get; init; } = TimeSpan.FromSeconds(30);

    public string FleetUrl => $"http://{Host}:{HttpPort}";

    public string Executable(string name) => Path.Combine(PublishDirectory, name, name);
}
