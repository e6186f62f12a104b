namespace CivicEdge.Simulators.Demo;

/// <summary>Where the demo finds the published executables, where it keeps its data and which ports it uses.</summary>
public sealed class DemoOptions
{
    /// <summary>The folder with one sub-folder per executable (<c>civicedge-fleet/civicedge-fleet</c>, …).</summary>
    public required string PublishDirectory { get; init; }

    /// <summary>The folder for the fleet's and the gateway's files; emptied at start so every demo begins alike.</summary>
    public required string DataDirectory { get; init; }

    public string Host { get; init; } = "127.0.0.1";

    public int HttpPort { get; init; } = 5080;

    public int MqttPort { get; init; } = 1883;

    /// <summary>The meter room's Modbus TCP port: energy, water and heat meters behind one TCP gateway.</summary>
    public int MeterPort { get; init; } = 5020;

    /// <summary>The pole's RS-485 bus, reached through a serial-to-Ethernet converter (RTU over TCP).</summary>
    public int PoleBusPort { get; init; } = 5021;

    /// <summary>The street's RS-485 bus of firmware poles, behind its own serial-to-Ethernet converter.</summary>
    public int StreetBusPort { get; init; } = 5022;

    /// <summary>
    /// The first of three ports of the meter-protocol room, each a transparent serial-to-Ethernet converter in front of
    /// one meter line: M-Bus (this port), CJ/T 188 (the next) and DL/T 645 (the one after).
    /// </summary>
    public int MeterLinesPort { get; init; } = 5023;

    /// <summary>The gateway's local API (<c>/status</c>, <c>/metrics</c>).</summary>
    public int GatewayHttpPort { get; init; } = 5081;

    public string GatewayId { get; init; } = "gw-demo-01";

    /// <summary>How long each process may take to become ready, and the first readings to reach the fleet.</summary>
    public TimeSpan ReadyTimeout { get; init; } = TimeSpan.FromSeconds(30);

    public string FleetUrl => $"http://{Host}:{HttpPort}";

    public string GatewayUrl => $"http://{Host}:{GatewayHttpPort}";

    /// <summary>The gateway's configuration file, written at start; editing it reconfigures the running gateway.</summary>
    public string GatewayConfigPath => Path.Combine(DataDirectory, "gateway.json");

    /// <summary>Where the fleet writes its bootstrap admin key at its first start (owner-only), and the demo reads it.</summary>
    public string AdminKeyPath => Path.Combine(DataDirectory, "admin.key");

    public string Executable(string name) => Path.Combine(PublishDirectory, name, name);
}
