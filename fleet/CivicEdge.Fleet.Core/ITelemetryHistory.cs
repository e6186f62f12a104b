using CivicEdge.Fleet.Contracts;

namespace CivicEdge.Fleet.Core;

/// <summary>
/// The telemetry a store holds, read in bulk and expired: aggregation by interval, streaming export and retention.
/// Implemented by every <see cref="IFleetStore"/> engine and checked by the same contract tests.
/// </summary>
public interface ITelemetryHistory
{
    /// <summary>
    /// Per point of <see cref="AggregateQuery.DeviceId"/> (or those named), one bucket per interval that holds samples
    /// of quality good or out-of-range, ordered by point name and bucket start; a point without such samples in the
    /// window is left out, an unknown device gives an empty list. Each series carries the point's current unit.
    /// </summary>
    /// <exception cref="ArgumentException">The query is out of range (<see cref="AggregateQuery.Validate"/>).</exception>
    Task<IReadOnlyList<AggregatedSeries>> AggregateAsync(AggregateQuery query, CancellationToken cancellationToken);

    /// <summary>
    /// Every sample of a device within [<paramref name="from"/>, <paramref name="to"/>], of every point or of those
    /// named, ordered by point name then time, read as the caller consumes them: an export of years does not sit in
    /// memory.
    /// </summary>
    /// <param name="deviceId">The device.</param>
    /// <param name="points">The points to read, or null for every point of the device.</param>
    /// <param name="from">Start of the window, inclusive.</param>
    /// <param name="to">End of the window, inclusive.</param>
    /// <param name="cancellationToken">Stops the reading.</param>
    IAsyncEnumerable<StoredSample> ReadSamplesAsync(
        string deviceId,
        IReadOnlyCollection<string>? points,
        DateTimeOffset from,
        DateTimeOffset to,
        CancellationToken cancellationToken);

    /// <summary>
    /// Removes telemetry samples older than <paramref name="cutoff"/>. A store that keeps samples in periods (PostgreSQL:
    /// one partition per UTC day) removes only whole periods that end at or before the cutoff, so samples up to one
    /// period older may remain; a sample at or after the cutoff is never removed. Latest values and devices stay.
    /// </summary>
    /// <returns>How many samples were removed (for a store that drops whole periods, its statistics' estimate).</returns>
    Task<long> DeleteTelemetryBeforeAsync(DateTimeOffset cutoff, CancellationToken cancellationToken);

    /// <summary>Removes events whose timestamp is before <paramref name="cutoff"/>.</summary>
    /// <returns>How many events were removed.</returns>
    Task<long> DeleteEventsBeforeAsync(DateTimeOffset cutoff, CancellationToken cancellationToken);
}
