using CivicEdge.Fleet.Contracts.Ledger;

namespace CivicEdge.Simulators.Load;

/// <summary>What <c>civicsim load</c> simulates: how many gateways, what each sends, and at what pace.</summary>
public sealed record LoadOptions
{
    public string Host { get; init; } = "127.0.0.1";

    public int Port { get; init; } = 1883;

    public int Gateways { get; init; } = 100;

    /// <summary>Field devices behind each gateway: every tick, a gateway sends one reading per device in one batch.</summary>
    public int DevicesPerGateway { get; init; } = 10;

    /// <summary>Points per reading.</summary>
    public int Points { get; init; } = 10;

    /// <summary>
    /// The time between a gateway's batches; zero sends the next batch as soon as one of <see cref="MaxInFlight"/> is
    /// acknowledged, which measures what the fleet can persist.
    /// </summary>
    public TimeSpan Interval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Batches a gateway may have awaiting the fleet's acknowledgement, as <c>Uplink:MaxInFlight</c>.</summary>
    public int MaxInFlight { get; init; } = 2;

    /// <summary>Connect and stay connected with keep-alive, sending nothing: how many devices a broker holds.</summary>
    public bool Idle { get; init; }

    public TimeSpan KeepAlive { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>A batch not acknowledged within this time is sent again, with the same sequence numbers.</summary>
    public TimeSpan AckTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Connections opened at once while connecting.</summary>
    public int ConnectConcurrency { get; init; } = 64;

    /// <summary>The gateways' ids are this prefix and a number, e.g. <c>gw-load-00042</c>.</summary>
    public string Prefix { get; init; } = "gw-load-";

    /// <summary>How long to run after every gateway is connected; null until stopped.</summary>
    public TimeSpan? Duration { get; init; }

    /// <summary>Run this long before counting, so the figures describe the steady state.</summary>
    public TimeSpan WarmUp { get; init; } = TimeSpan.Zero;

    /// <summary>
    /// Each gateway's MQTT password by its id (its MQTT user name), as the fleet issued them (<see cref="LoadEnrolment"/>);
    /// null for a broker that does not authenticate.
    /// </summary>
    public IReadOnlyDictionary<string, string>? Passwords { get; init; }

    /// <summary>The hardware model of every simulated field device, as its readings and its ledger entry name it.</summary>
    public string DeviceModel { get; init; } = "eastron-sdm630";

    /// <summary>The firmware every simulated field device runs at the start, as the ledger records it.</summary>
    public string DeviceFirmware { get; init; } = "1.0.0";

    /// <summary>The ledger's kind of every simulated field device.</summary>
    public DeviceKind DeviceKind { get; init; } = DeviceKind.EnergyMeter;

    /// <summary>
    /// How often each gateway publishes its health report (retained, as the real gateway's): the fleet hears of the
    /// gateway itself only from it, and a device behind a gateway the fleet has not heard of is not judged ok.
    /// </summary>
    public TimeSpan HealthInterval { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>How the gateways take OTA offers for their devices; null when they do not subscribe to offers.</summary>
    public LoadOtaOptions? Ota { get; init; }

    public string GatewayId(int index) => $"{Prefix}{index:D5}";

    /// <summary>The <paramref name="index"/>th field device (from 1) behind <paramref name="gatewayId"/>, e.g. <c>gw-load-00042-m007</c>.</summary>
    public static string DeviceId(string gatewayId, int index) => $"{gatewayId}-m{index:D3}";
}
