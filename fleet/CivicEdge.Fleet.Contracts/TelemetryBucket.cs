namespace CivicEdge.Fleet.Contracts;

/// <summary>
/// The aggregates of one point over one interval. Only samples read in their poll count (quality <c>good</c> or
/// <c>outOfRange</c>): <c>stale</c> and <c>commError</c> samples repeat an older value and would weigh it twice. An
/// aggregate that was not asked for is null.
/// </summary>
/// <param name="Start">Start of the interval (UTC); intervals are aligned on multiples of their width since 1970-01-01T00:00Z.</param>
/// <param name="Count">How many samples the interval holds.</param>
/// <param name="Min">The smallest value.</param>
/// <param name="Max">The largest value.</param>
/// <param name="Avg">The mean of the values (each sample weighs the same, whatever the time to the next).</param>
/// <param name="Last">The value of the newest sample.</param>
public sealed record TelemetryBucket(DateTimeOffset Start, long? Count, double? Min, double? Max, double? Avg, double? Last);
