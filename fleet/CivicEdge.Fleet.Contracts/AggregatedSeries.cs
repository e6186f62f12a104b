namespace CivicEdge.Fleet.Contracts;

/// <summary>The buckets of one point, oldest first.</summary>
/// <param name="Point">The point name.</param>
/// <param name="Unit">The unit every value is in.</param>
/// <param name="Quantity">The physical quantity, if the profile names one.</param>
/// <param name="Buckets">Only the intervals that hold samples; an interval without any is left out, not zero.</param>
public sealed record AggregatedSeries(string Point, string Unit, string? Quantity, IReadOnlyList<TelemetryBucket> Buckets);
