using CivicEdge.Fleet.Contracts.Ota;

namespace CivicEdge.Simulators.Load;

/// <summary>
/// How a load's gateways take the fleet's OTA offers for the devices behind them, as the real gateway's relay does:
/// download each artifact once per gateway, check it, feed it to each device over a modelled local link, and report.
/// </summary>
public sealed record LoadOtaOptions
{
    /// <summary>The fleet's REST API the offers' download paths are relative to.</summary>
    public required Uri FleetApi { get; init; }

    /// <summary>
    /// Carries the gateways' downloads; null for a new socket handler. A test hands in the in-process fleet's handler.
    /// It is shared by every gateway and not disposed by the run.
    /// </summary>
    public HttpMessageHandler? FleetHandler { get; init; }

    /// <summary>
    /// A person's API key to download with (sent as a bearer token); null to download as a real gateway does, with its
    /// own ledger credential (HTTP Basic, gateway id and MQTT password, RFC 7617).
    /// </summary>
    public string? ApiKey { get; init; }

    /// <summary>The release signers' keys the gateways trust; an offer signed by any other is refused.</summary>
    public required IReadOnlyList<OtaPublicKey> TrustedKeys { get; init; }

    /// <summary>Bytes per second a gateway's local bus carries to a device being updated; 0 feeds at once.</summary>
    public long FeedBytesPerSecond { get; init; }

    /// <summary>Devices of one gateway fed at the same time: 1 models one half-duplex bus, which carries one transaction at a time.</summary>
    public int FeedsAtOnce { get; init; } = 1;

    /// <summary>The share of the run's devices (0–1, exact to the nearest device) whose new image fails its boot health check and rolls back.</summary>
    public double FailureRate { get; init; }

    /// <summary>Chooses the failing devices: the same seed and rate choose the same devices in every run.</summary>
    public int Seed { get; init; }

    /// <summary>The time a device takes from rebooting to its verdict on the new image.</summary>
    public TimeSpan BootTime { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Downloads broken off that a gateway resumes (from the byte it has, with a range request) before it gives up.</summary>
    public int DownloadAttempts { get; init; } = 5;
}
