namespace CivicEdge.Rules.Evaluation;

/// <summary>What the engine did and what it could not use: nothing is dropped without being counted here.</summary>
public sealed class RuleEngineCounters
{
    /// <summary>Conditions evaluated.</summary>
    public long Evaluations { get; internal set; }

    /// <summary>Evaluations whose result was unknown (a point never read, a bad reading): the rule stayed as it was.</summary>
    public long UnknownConditions { get; internal set; }

    /// <summary>Readings of points no rule reads.</summary>
    public long UnusedReadings { get; internal set; }

    /// <summary>Readings older than the newest one of their series, left out of windows.</summary>
    public long OutOfOrderReadings { get; internal set; }

    /// <summary>Readings dropped from full windows before they left the window.</summary>
    public long WindowOverflows { get; internal set; }

    /// <summary>Writes and virtual-point sets not made because their value was unknown.</summary>
    public long UnknownValues { get; internal set; }

    /// <summary>Chains of rules setting virtual points that were cut at <see cref="RuleEngineOptions.MaxCascade"/>.</summary>
    public long CascadesCut { get; internal set; }

    /// <summary>Acknowledgements of alarms that were not active (already cleared, or never raised here).</summary>
    public long AcknowledgementsIgnored { get; internal set; }
}
