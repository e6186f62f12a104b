using CivicEdge.Fleet.Contracts;

namespace CivicEdge.Fleet.Core.Health;

/// <summary>How the fleet judges device health and raises offline alarms (<c>Fleet:Health</c>).</summary>
public sealed class HealthOptions
{
    public const string Section = "Fleet:Health";

    /// <summary>The cadence of a device nothing else gives one.</summary>
    public TimeSpan DefaultCadence { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Slack on top of a cadence before a device counts as late: delivery through a gateway takes time.</summary>
    public TimeSpan Grace { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Cadences missed (plus the grace) after which a device is offline; at least 2, since one makes it late.</summary>
    public int OfflineAfterCadences { get; set; } = 3;

    /// <summary>A cadence per device code; wins over everything else.</summary>
    public Dictionary<string, TimeSpan> Devices { get; set; } = new(StringComparer.Ordinal);

    /// <summary>A cadence per device kind (<c>waterMeter</c>, <c>gateway</c>, …); wins over the hardware profile's.</summary>
    public Dictionary<string, TimeSpan> Kinds { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// Hardware profiles to take each model's cadence from (a file or folder of <c>*.yaml</c>): its <c>maxSilence</c>,
    /// else its <c>pollInterval</c>. None read when empty.
    /// </summary>
    public string ProfilesPath { get; set; } = string.Empty;

    /// <summary>A cadence per hardware profile model, over the profiles' own.</summary>
    public Dictionary<string, TimeSpan> Models { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The firmware version each model should run; a model not named here is compared with its most common version.</summary>
    public Dictionary<string, string> TargetFirmware { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Supply voltage points and their allowed range, by point name (<c>battery_voltage</c>, <c>supply_voltage</c>).</summary>
    public Dictionary<string, VoltageRange> SupplyVoltage { get; set; } = new(StringComparer.Ordinal);

    /// <summary>A gateway whose oldest record waiting in any outbox stream is older than this is degraded.</summary>
    public TimeSpan MaxOutboxAge { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>A gateway with less free disk than this share of the volume is degraded.</summary>
    public double MinFreeDiskShare { get; set; } = 0.1;

    /// <summary>A gateway that restarted within this time is degraded, so that restarts are seen.</summary>
    public TimeSpan RestartWindow { get; set; } = TimeSpan.FromDays(1);

    /// <summary>The window a meter must have reported in to count in the metering figure (when longer than its cadence).</summary>
    public TimeSpan MeterWindow { get; set; } = TimeSpan.FromDays(1);

    /// <summary>Capabilities that make a sensor a monitored pipe sensor (besides the tag <c>pipe</c>).</summary>
    public List<string> PipeCapabilities { get; set; } = ["pipe-pressure", "pressure", "flow", "leak"];

    /// <summary>The alarm type prefix of a lamp failure (the slc1 profile's status bit <c>lamp_failure</c>).</summary>
    public string LampFailureType { get; set; } = "lamp_failure";

    /// <summary>How often the offline detector looks at the fleet.</summary>
    public TimeSpan CheckInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>The severity of the fleet's offline alarms.</summary>
    public EventSeverity OfflineSeverity { get; set; } = EventSeverity.Major;

    /// <summary>False keeps the offline detector from running on this node (it takes no part in the election).</summary>
    public bool OfflineAlarms { get; set; } = true;
}
