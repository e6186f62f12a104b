namespace CivicEdge.Gateway.Configuration;

/// <summary>
/// The <c>Rules</c> section: edge rules (schema <c>civicedge.rules/v1</c>) run on the gateway over its readings. Rule
/// sets come from files named here and from the fleet through the twin (<c>DesiredConfiguration.RuleSets</c>).
/// </summary>
public sealed class RulesOptions
{
    public const string SectionName = "Rules";

    /// <summary>False to run no rules: readings then go straight to the outbox.</summary>
    public bool Enabled { get; set; }

    /// <summary>Rule-set YAML files, each validated against the profiles at start-up; relative paths are read from the working directory.</summary>
    public List<string> Files { get; set; } = [];

    /// <summary>The gateway's latitude in degrees (north positive), for sunrise and sunset triggers.</summary>
    public double Latitude { get; set; }

    /// <summary>The gateway's longitude in degrees (east positive).</summary>
    public double Longitude { get; set; }

    /// <summary>The IANA time zone cron schedules are read in, e.g. <c>Asia/Shanghai</c>.</summary>
    public string TimeZone { get; set; } = "UTC";

    /// <summary>How often the engine is ticked: schedules, <c>for</c> durations and communication watches are at most this late.</summary>
    public TimeSpan TickInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long a device without a good reading or answer counts as talking, unless a rule set says <c>staleAfter</c>.</summary>
    public TimeSpan StaleAfter { get; set; } = TimeSpan.FromMinutes(5);
}
