namespace CivicEdge.Fleet.Core;

/// <summary>The aggregates a telemetry query asks of each bucket.</summary>
[Flags]
public enum TelemetryAggregates
{
    None = 0,
    Count = 1,
    Min = 2,
    Max = 4,
    Avg = 8,
    Last = 16,
    All = Count | Min | Max | Avg | Last,
}
