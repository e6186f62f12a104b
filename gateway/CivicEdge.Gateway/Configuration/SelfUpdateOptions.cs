namespace CivicEdge.Gateway.Configuration;

/// <summary>
/// The <c>SelfUpdate</c> section: the gateway installing new versions of itself from the fleet's OTA offers into the
/// inactive slot of its install folder, and rolling back when a new version does not prove healthy.
/// </summary>
public sealed class SelfUpdateOptions
{
    public const string SectionName = "SelfUpdate";

    /// <summary>False (the default) to take no offers: the gateway then does not subscribe to its OTA topic.</summary>
    public bool Enabled { get; set; }

    /// <summary>The install folder with <c>current</c>, <c>slots/a</c> and <c>slots/b</c> (see the README).</summary>
    public string? InstallRoot { get; set; }

    /// <summary>This box's hardware model, as the artifacts' manifests name it (e.g. <c>linux-x64</c>, <c>rk3568-cabinet</c>).</summary>
    public string? HardwareModel { get; set; }

    /// <summary>
    /// The fleet's HTTP API the payloads are fetched from, with the gateway's own ledger credential: the uplink's user name
    /// and password (<c>Uplink:Username</c>, <c>Uplink:Password</c> or <c>Uplink:PasswordFile</c>) as HTTP Basic.
    /// </summary>
    public string FleetUrl { get; set; } = "http://127.0.0.1:5080";

    /// <summary>PEM files of the release signers' public keys; a package signed by any other key is refused.</summary>
    public List<string> TrustedKeyFiles { get; set; } = [];

    /// <summary>How long a new version must run healthy (uplink up, data acknowledged, every bus polling) before it confirms.</summary>
    public TimeSpan HealthWindow { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>From the switch, how long the new version has to confirm before the launcher rolls back.</summary>
    public TimeSpan TrialDeadline { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Starts the new version gets before the launcher rolls back.</summary>
    public int MaxTrialBoots { get; set; } = 3;

    /// <summary>The download's cap in bytes per second; 0 for none.</summary>
    public long MaxBytesPerSecond { get; set; }
}
