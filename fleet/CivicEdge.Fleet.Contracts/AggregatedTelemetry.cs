namespace CivicEdge.Fleet.Contracts;

/// <summary>
/// The answer of <c>GET /api/devices/{id}/telemetry?interval=15m&amp;aggregate=avg,max</c>: per point, one bucket per
/// interval that holds samples, with the aggregates asked for.
/// </summary>
/// <param name="DeviceId">The unified device code.</param>
/// <param name="From">Start of the window (inclusive, UTC).</param>
/// <param name="To">End of the window (inclusive, UTC).</param>
/// <param name="Interval">The bucket width as asked for: <c>1m</c>, <c>15m</c>, <c>1h</c> or <c>1d</c>.</param>
/// <param name="Aggregates">The aggregates each bucket carries, of <c>min</c>, <c>max</c>, <c>avg</c>, <c>last</c>, <c>count</c>.</param>
/// <param name="Series">One series per point with samples in the window, ordered by point name.</param>
public sealed record AggregatedTelemetry(
    string DeviceId,
    DateTimeOffset From,
    DateTimeOffset To,
    string Interval,
    IReadOnlyList<string> Aggregates,
    IReadOnlyList<AggregatedSeries> Series);
