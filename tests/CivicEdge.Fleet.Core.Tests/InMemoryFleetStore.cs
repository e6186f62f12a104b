using CivicEdge.Fleet.Contracts;

namespace CivicEdge.Fleet.Core.Tests;

/// <summary>
/// The writing half of a store, in memory, with the watermark deduplication of the contract and a switch to make writes
/// fail. The ingestor never reads telemetry back, so the query members refuse to be called.
/// </summary>
internal sealed class InMemoryFleetStore : IFleetStore
{
    private readonly Dictionary<(string Source, string Stream), long> _watermarks = [];
    private readonly List<(TelemetryRecord Record, DateTimeOffset ReceivedAt)> _records = [];
    private readonly List<SourceState> _states = [];
    private readonly List<ReportedState> _reported = [];
    private readonly List<HealthReport> _health = [];
    private readonly List<EventRecord> _events = [];

    /// <summary>When set, every write throws it, as a full disk or a lost database connection would.</summary>
    public Exception? FailWith { get; set; }

    public int Writes { get; private set; }

    public IReadOnlyList<TelemetryRecord> Records => _records.ConvertAll(entry => entry.Record);

    public IReadOnlyList<DateTimeOffset> ReceivedTimes => _records.ConvertAll(entry => entry.ReceivedAt);

    public IReadOnlyList<SourceState> States => _states;

    public IReadOnlyList<ReportedState> Reported => _reported;

    public IReadOnlyList<HealthReport> Health => _health;
    public IReadOnlyList<EventRecord> Events => _events;

    public Task<StoreBatchResult> StoreBatchAsync(TelemetryBatch batch, DateTimeOffset receivedAt, CancellationToken cancellationToken)
    {
        Writes++;
        if (FailWith is not null)
            throw FailWith;

        var watermark = _watermarks.GetValueOrDefault((batch.Source, batch.Stream));
        var stored = 0;
        foreach (var record in batch.Records.Where(record => record.Seq > watermark))
        {
            watermark = record.Seq;
            _records.Add((record, receivedAt));
            stored++;
        }

        _watermarks[(batch.Source, batch.Stream)] = watermark;
        return Task.FromResult(new StoreBatchResult(stored, batch.Records.Count - stored));
    }

    public Task<StoreBatchResult> StoreEventsAsync(EventBatch batch, DateTimeOffset receivedAt, CancellationToken cancellationToken)
    {
        Writes++;
        if (FailWith is not null)
            throw FailWith;

        var watermark = _watermarks.GetValueOrDefault((batch.Source, batch.Stream));
        var stored = 0;
        foreach (var record in batch.Records.Where(record => record.Seq > watermark))
        {
            watermark = record.Seq;
            _events.Add(record);
            stored++;
        }

        _watermarks[(batch.Source, batch.Stream)] = watermark;
        return Task.FromResult(new StoreBatchResult(stored, batch.Records.Count - stored));
    }

    public Task<IReadOnlyList<EventEntry>> GetEventsAsync(string? deviceId, DateTimeOffset from, DateTimeOffset to, int limit, CancellationToken cancellationToken) =>
        throw NotForIngest();

    public Task RecordSourceStateAsync(SourceState state, CancellationToken cancellationToken)
    {
        Writes++;
        if (FailWith is not null)
            throw FailWith;

        _states.Add(state);
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<SourceState>> ListSourcesAsync(CancellationToken cancellationToken) => throw NotForIngest();

    public Task<IReadOnlyList<DeviceSummary>> ListDevicesAsync(CancellationToken cancellationToken) => throw NotForIngest();

    public Task<DeviceSummary?> FindDeviceAsync(string deviceId, CancellationToken cancellationToken) => throw NotForIngest();

    public Task<IReadOnlyList<LatestValue>> GetLatestValuesAsync(string deviceId, CancellationToken cancellationToken) =>
        throw NotForIngest();

    public Task<IReadOnlyList<PointSeries>> GetSeriesAsync(
        string deviceId,
        DateTimeOffset from,
        DateTimeOffset to,
        int maxSamplesPerPoint,
        CancellationToken cancellationToken) => throw NotForIngest();

    public Task<bool> IsAvailableAsync(CancellationToken cancellationToken) => throw NotForIngest();

    public Task<DesiredState> SetDesiredAsync(string deviceId, DesiredConfiguration? configuration, DateTimeOffset updatedAt, CancellationToken cancellationToken) =>
        throw NotForIngest();

    public Task RecordReportedAsync(ReportedState state, DateTimeOffset receivedAt, CancellationToken cancellationToken)
    {
        Writes++;
        if (FailWith is not null)
            throw FailWith;
        _reported.Add(state);
        return Task.CompletedTask;
    }

    public Task<DeviceTwin?> GetTwinAsync(string deviceId, CancellationToken cancellationToken) => throw NotForIngest();

    public Task<IReadOnlyList<DeviceTwin>> ListTwinsAsync(CancellationToken cancellationToken) => throw NotForIngest();

    public Task RecordHealthAsync(HealthReport report, CancellationToken cancellationToken)
    {
        Writes++;
        if (FailWith is not null)
            throw FailWith;
        _health.Add(report);
        return Task.CompletedTask;
    }

    public Task<HealthReport?> GetHealthAsync(string sourceId, CancellationToken cancellationToken) => throw NotForIngest();

    private static NotSupportedException NotForIngest() => new("The ingestor only writes to the store.");
}
