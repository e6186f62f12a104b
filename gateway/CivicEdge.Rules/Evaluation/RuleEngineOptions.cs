namespace CivicEdge.Rules.Evaluation;

/// <summary>Where and how the gateway runs its rules.</summary>
public sealed class RuleEngineOptions
{
    /// <summary>The gateway's latitude in degrees, north positive, for sunrise and sunset.</summary>
    public double Latitude { get; init; }

    /// <summary>The gateway's longitude in degrees, east positive.</summary>
    public double Longitude { get; init; }

    /// <summary>The time zone cron schedules are read in.</summary>
    public TimeZoneInfo TimeZone { get; init; } = TimeZoneInfo.Utc;

    /// <summary>How long without a good reading before a device counts as lost, unless the rule set says.</summary>
    public TimeSpan StaleAfter { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Readings kept per series that a window function reads. A window longer than this many readings loses its oldest
    /// readings (counted in <see cref="RuleEngineCounters.WindowOverflows"/>).
    /// </summary>
    public int WindowCapacity { get; init; } = 1024;

    /// <summary>How deep rules may set virtual points that trigger other rules before the chain is cut (a loop).</summary>
    public int MaxCascade { get; init; } = 16;

    /// <exception cref="ArgumentException">A value is out of range; the message names it.</exception>
    public void Validate()
    {
        if (Math.Abs(Latitude) > 90 || double.IsNaN(Latitude))
            throw new ArgumentException($"Latitude: expected degrees between -90 and 90; found {Latitude}.", nameof(Latitude));
        if (Math.Abs(Longitude) > 180 || double.IsNaN(Longitude))
            throw new ArgumentException($"Longitude: expected degrees between -180 and 180; found {Longitude}.", nameof(Longitude));
        if (StaleAfter <= TimeSpan.Zero)
            throw new ArgumentException($"StaleAfter: expected a positive duration; found {StaleAfter}.", nameof(StaleAfter));
        if (WindowCapacity < 2)
            throw new ArgumentException($"WindowCapacity: expected at least 2; found {WindowCapacity}.", nameof(WindowCapacity));
        if (MaxCascade < 1)
            throw new ArgumentException($"MaxCascade: expected at least 1; found {MaxCascade}.", nameof(MaxCascade));
        ArgumentNullException.ThrowIfNull(TimeZone);
    }
}
