namespace CivicEdge.Fleet.Server.Ota;

/// <summary>OTA artifacts and campaigns at the fleet (<c>Fleet:Ota</c>).</summary>
public sealed class OtaOptions
{
    public const string Section = "Fleet:Ota";

    /// <summary>
    /// PEM files of the release signers' public keys (from <c>civic ota keygen</c>). An upload signed by any other key
    /// is refused; with none, every upload is refused.
    /// </summary>
    public List<string> TrustedKeyFiles { get; set; } = [];

    /// <summary>The largest payload accepted, in bytes (default 512 MiB).</summary>
    public long MaxArtifactBytes { get; set; } = 512L * 1024 * 1024;

    /// <summary>
    /// Where an upload's payload waits while it is checked, before anything is stored (default: the system's temporary
    /// directory). It needs room for the largest artifact per concurrent upload.
    /// </summary>
    public string? SpoolDirectory { get; set; }

    /// <summary>How often the leading node moves campaigns on: applies reports, judges devices, sends offers (default 5 s).</summary>
    public TimeSpan CampaignStepInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long an offer its target has not answered waits before it is sent again (default 1 min).</summary>
    public TimeSpan OfferResendInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// The most received status reports that may wait in the store for the campaign leader (default 100 000); past it a
    /// report is refused, counted and logged, and the installer's next report carries its state.
    /// </summary>
    public int PendingStatusCapacity { get; set; } = 100_000;
}
