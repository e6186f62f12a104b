using CivicEdge.Fleet.Contracts;

namespace CivicEdge.Fleet.Core;

/// <summary>
/// Where the fleet keeps what it has been told: telemetry, the devices seen in it and the state of every source.
/// One contract, several engines (embedded LiteDB on a single node, PostgreSQL at city scale); every implementation
/// runs the same contract tests.
/// </summary>
/// <remarks>
/// Timestamps are kept to the millisecond at least; every time goes in and comes out as UTC. Names (device ids, point
/// names, streams) are compared ordinally, so <c>Meter-1</c> and <c>meter-1</c> are two devices.
/// </remarks>
public interface IFleetStore
{
    /// <summary>
    /// Persists the new records of <paramref name="batch"/> and the devices they mention in one transaction: when the
    /// returned task completes, either every new record is durable or (when it faults) none is.
    /// </summary>
    /// <remarks>
    /// Deduplication follows the delivery contract: a source numbers the records of each stream 1, 2, 3, … and sends
    /// them in order, so a record whose <see cref="TelemetryRecord.Seq"/> is at or below the highest sequence number
    /// already persisted for (<see cref="TelemetryBatch.Source"/>, <see cref="TelemetryBatch.Stream"/>), or below one
    /// earlier in the same batch, was delivered before and is counted as a duplicate instead of being stored again.
    /// </remarks>
    /// <param name="batch">A batch that passed validation.</param>
    /// <param name="receivedAt">When the fleet received the batch; becomes the first-seen time of new devices.</param>
    /// <param name="cancellationToken">Cancels before the transaction starts; a started transaction runs to its end.</param>
    Task<StoreBatchResult> StoreBatchAsync(TelemetryBatch batch, DateTimeOffset receivedAt, CancellationToken cancellationToken);

    /// <summary>
    /// Persists the new events of <paramref name="batch"/> in one transaction, deduplicated exactly as
    /// <see cref="StoreBatchAsync"/> does telemetry: by the highest sequence number stored per (source, stream).
    /// </summary>
    /// <param name="batch">A batch that passed validation.</param>
    /// <param name="receivedAt">When the fleet received the batch; kept with each new event.</param>
    /// <param name="cancellationToken">Cancels before the transaction starts; a started transaction runs to its end.</param>
    Task<StoreBatchResult> StoreEventsAsync(EventBatch batch, DateTimeOffset receivedAt, CancellationToken cancellationToken);

    /// <summary>
    /// The events whose timestamp lies within [<paramref name="from"/>, <paramref name="to"/>], of one device or of all,
    /// oldest first; when more match, the newest <paramref name="limit"/> of them.
    /// </summary>
    /// <param name="deviceId">The device the events are about; null for every device.</param>
    /// <param name="from">Start of the window, inclusive.</param>
    /// <param name="to">End of the window, inclusive.</param>
    /// <param name="limit">The most events returned.</param>
    /// <param name="cancellationToken">Cancels the query.</param>
    Task<IReadOnlyList<EventEntry>> GetEventsAsync(string? deviceId, DateTimeOffset from, DateTimeOffset to, int limit, CancellationToken cancellationToken);

    /// <summary>Records the birth or death of a source; a state older than the one held is ignored.</summary>
    Task RecordSourceStateAsync(SourceState state, CancellationToken cancellationToken);

    /// <summary>The last known state of every source, ordered by source id.</summary>
    Task<IReadOnlyList<SourceState>> ListSourcesAsync(CancellationToken cancellationToken);

    /// <summary>Every device seen in telemetry, ordered by id.</summary>
    Task<IReadOnlyList<DeviceSummary>> ListDevicesAsync(CancellationToken cancellationToken);

    /// <summary>One device, or null when the fleet has never heard of it.</summary>
    Task<DeviceSummary?> FindDeviceAsync(string deviceId, CancellationToken cancellationToken);

    /// <summary>
    /// The value with the newest timestamp of every point of a device, ordered by point name; empty for an unknown device.
    /// </summary>
    Task<IReadOnlyList<LatestValue>> GetLatestValuesAsync(string deviceId, CancellationToken cancellationToken);

    /// <summary>
    /// The samples of every point of a device whose timestamp lies within [<paramref name="from"/>, <paramref name="to"/>],
    /// oldest first, ordered by point name; a point with no sample in the window is left out.
    /// </summary>
    /// <param name="deviceId">The device.</param>
    /// <param name="from">Start of the window, inclusive.</param>
    /// <param name="to">End of the window, inclusive.</param>
    /// <param name="maxSamplesPerPoint">When a point has more samples in the window, the newest this many are returned.</param>
    /// <param name="cancellationToken">Cancels the query.</param>
    Task<IReadOnlyList<PointSeries>> GetSeriesAsync(
        string deviceId,
        DateTimeOffset from,
        DateTimeOffset to,
        int maxSamplesPerPoint,
        CancellationToken cancellationToken);

    /// <summary>
    /// Sets the desired state of a device's twin to <paramref name="configuration"/> (null withdraws the fleet's
    /// configuration) with a version one above the one held (1 for the first), in one transaction.
    /// </summary>
    /// <returns>The desired state as stored, with its new version.</returns>
    Task<DesiredState> SetDesiredAsync(string deviceId, DesiredConfiguration? configuration, DateTimeOffset updatedAt, CancellationToken cancellationToken);

    /// <summary>Records the reported state a device published; one older (by its timestamp) than the one held is ignored.</summary>
    Task RecordReportedAsync(ReportedState state, DateTimeOffset receivedAt, CancellationToken cancellationToken);

    /// <summary>A device's twin, or null when it has neither a desired nor a reported state.</summary>
    Task<DeviceTwin?> GetTwinAsync(string deviceId, CancellationToken cancellationToken);

    /// <summary>Every twin, ordered by device id.</summary>
    Task<IReadOnlyList<DeviceTwin>> ListTwinsAsync(CancellationToken cancellationToken);

    /// <summary>Records a source's health report; one older (by its timestamp) than the one held is ignored.</summary>
    Task RecordHealthAsync(HealthReport report, CancellationToken cancellationToken);

    /// <summary>The latest health report of a source, or null when it has sent none.</summary>
    Task<HealthReport?> GetHealthAsync(string sourceId, CancellationToken cancellationToken);

    /// <summary>True while the store is open and answers a trivial query.</summary>
    Task<bool> IsAvailableAsync(CancellationToken cancellationToken);
}
