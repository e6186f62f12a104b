using CivicEdge.Fleet.Contracts;
using CivicEdge.Fleet.Core;
using static CivicEdge.Fleet.Storage.LiteDb.Tests.Contract.TestTelemetry;

namespace CivicEdge.Fleet.Storage.LiteDb.Tests.Contract;

/// <summary>
/// What every <see cref="ITelemetryHistory"/> must do, whatever its engine: aggregation by interval, export and
/// retention. A store project derives one fixture from this class and supplies a fresh, empty store per test.
/// </summary>
public abstract class TelemetryHistoryContractTests
{
    private IFleetStore? _store;

    protected IFleetStore Store => _store ?? throw new InvalidOperationException("The store is opened in SetUp.");

    protected ITelemetryHistory History => (ITelemetryHistory)Store;

    /// <summary>A new, empty store that is also an <see cref="ITelemetryHistory"/>.</summary>
    protected abstract Task<IFleetStore> OpenEmptyStoreAsync();

    /// <summary>Releases a store made by <see cref="OpenEmptyStoreAsync"/>.</summary>
    protected abstract Task CloseStoreAsync(IFleetStore store);

    [SetUp]
    public async Task OpenStore() => _store = await OpenEmptyStoreAsync();

    [TearDown]
    public async Task CloseStore()
    {
        if (_store is not null)
            await CloseStoreAsync(_store);
        _store = null;
    }

    [Test]
    public async Task Aggregates_give_count_min_max_avg_and_last_per_interval_aligned_on_whole_minutes()
    {
        await StoreVoltages((10, 1), (20, 3), (70, 5), (80, 2), (130, 4));

        var series = await History.AggregateAsync(Query(TimeSpan.FromMinutes(1), TelemetryAggregates.All, points: ["voltage_l1"]), CancellationToken.None);

        Assert.That(series.Single().Buckets, Is.EqualTo(new[]
        {
            new TelemetryBucket(T0, 2, 1, 3, 2, 3),
            new TelemetryBucket(T0.AddMinutes(1), 2, 2, 5, 3.5, 2),
            new TelemetryBucket(T0.AddMinutes(2), 1, 4, 4, 4, 4),
        }));
    }

    [Test]
    public async Task Only_the_aggregates_asked_for_are_given()
    {
        await StoreVoltages((10, 1), (20, 3));

        var series = await History.AggregateAsync(Query(TimeSpan.FromHours(1), TelemetryAggregates.Avg | TelemetryAggregates.Max, points: ["voltage_l1"]), CancellationToken.None);

        Assert.That(series.Single().Buckets, Is.EqualTo(new[] { new TelemetryBucket(T0, null, null, 3, 2, null) }));
    }

    [Test]
    public async Task A_series_per_point_ordered_by_name_carries_the_unit_and_quantity()
    {
        await StoreVoltages((10, 1));

        var series = await History.AggregateAsync(Query(TimeSpan.FromMinutes(15), TelemetryAggregates.Count), CancellationToken.None);

        Assert.That(series.Select(s => (s.Point, s.Unit, s.Quantity)), Is.EqualTo(new[]
        {
            ("energy_import", "kWh", (string?)"energy"),
            ("voltage_l1", "V", (string?)"voltage"),
        }));
    }

    [Test]
    public async Task Daily_buckets_are_utc_calendar_days()
    {
        var midnight = new DateTimeOffset(2026, 11, 23, 0, 0, 0, TimeSpan.Zero);
        await Store.StoreBatchAsync(
            Batch(Reading(1, at: midnight.AddMinutes(-1), voltage: 1), Reading(2, at: midnight.AddMinutes(1), voltage: 2)),
            ReceivedAt,
            CancellationToken.None);

        var query = new AggregateQuery(Meter, ["voltage_l1"], midnight.AddDays(-1), midnight.AddDays(1), TimeSpan.FromDays(1), TelemetryAggregates.Last);
        var series = await History.AggregateAsync(query, CancellationToken.None);

        Assert.That(series.Single().Buckets.Select(b => (b.Start, b.Last)), Is.EqualTo(new[] { (midnight.AddDays(-1), (double?)1), (midnight, (double?)2) }));
    }

    [Test]
    public async Task Stale_and_comm_error_samples_do_not_count_and_out_of_range_ones_do()
    {
        await Store.StoreBatchAsync(
            Batch(
                Record(1, T0.AddSeconds(1), 230, Quality.Good),
                Record(2, T0.AddSeconds(2), 999, Quality.Stale),
                Record(3, T0.AddSeconds(3), 999, Quality.CommError),
                Record(4, T0.AddSeconds(4), 260, Quality.OutOfRange)),
            ReceivedAt,
            CancellationToken.None);

        var series = await History.AggregateAsync(Query(TimeSpan.FromMinutes(1), TelemetryAggregates.All), CancellationToken.None);

        Assert.That(series.Single().Buckets, Is.EqualTo(new[] { new TelemetryBucket(T0, 2, 230, 260, 245, 260) }));
    }

    [Test]
    public async Task A_point_with_only_samples_that_do_not_count_is_left_out()
    {
        await Store.StoreBatchAsync(Batch(Record(1, T0.AddSeconds(1), 230, Quality.CommError)), ReceivedAt, CancellationToken.None);

        var series = await History.AggregateAsync(Query(TimeSpan.FromMinutes(1), TelemetryAggregates.All), CancellationToken.None);

        Assert.That(series, Is.Empty);
    }

    [Test]
    public async Task The_window_bounds_are_inclusive()
    {
        await StoreVoltages((-1, 100), (0, 1), (60, 2), (61, 100));

        var query = new AggregateQuery(Meter, ["voltage_l1"], T0, T0.AddSeconds(60), TimeSpan.FromHours(1), TelemetryAggregates.Count | TelemetryAggregates.Max);
        var series = await History.AggregateAsync(query, CancellationToken.None);

        Assert.That(series.Single().Buckets.Single(), Is.EqualTo(new TelemetryBucket(T0, 2, null, 2, null, null)));
    }

    [Test]
    public async Task Last_is_the_newest_by_time_even_when_it_was_stored_first()
    {
        await Store.StoreBatchAsync(Batch(Reading(1, at: T0.AddSeconds(50), voltage: 2)), ReceivedAt, CancellationToken.None);
        await Store.StoreBatchAsync(Batch(Reading(2, at: T0.AddSeconds(10), voltage: 1)), ReceivedAt, CancellationToken.None);

        var series = await History.AggregateAsync(Query(TimeSpan.FromMinutes(1), TelemetryAggregates.Last, points: ["voltage_l1"]), CancellationToken.None);

        Assert.That(series.Single().Buckets.Single().Last, Is.EqualTo(2));
    }

    [Test]
    public async Task An_unknown_device_or_point_has_no_aggregates()
    {
        await StoreVoltages((10, 1));

        var unknownDevice = await History.AggregateAsync(Query(TimeSpan.FromMinutes(1), TelemetryAggregates.All) with { DeviceId = "meter-9" }, CancellationToken.None);
        var unknownPoint = await History.AggregateAsync(Query(TimeSpan.FromMinutes(1), TelemetryAggregates.All, points: ["current_l1"]), CancellationToken.None);

        Assert.That(unknownDevice, Is.Empty);
        Assert.That(unknownPoint, Is.Empty);
    }

    [Test]
    public async Task An_interval_longer_than_a_day_is_refused()
    {
        var query = Query(TimeSpan.FromDays(2), TelemetryAggregates.All);

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => History.AggregateAsync(query, CancellationToken.None));
    }

    [Test]
    public async Task Samples_are_read_by_point_then_time_with_unit_quality_and_the_record_they_came_in()
    {
        await Store.StoreBatchAsync(Batch(Reading(2, at: T0.AddSeconds(20), voltage: 2), Reading(3, at: T0.AddSeconds(30), voltage: 3)), ReceivedAt, CancellationToken.None);
        await Store.StoreBatchAsync(Batch("gw-1", Streams.Billing, Reading(1, at: T0.AddSeconds(10), voltage: 1)), ReceivedAt, CancellationToken.None);

        var samples = await ReadAllAsync(Meter, null, T0, T0.AddMinutes(1));

        Assert.That(samples, Is.EqualTo(new[]
        {
            new StoredSample(Meter, "energy_import", T0.AddSeconds(10), 1001, "kWh", "energy", Quality.Good, Gateway, Streams.Billing, 1),
            new StoredSample(Meter, "energy_import", T0.AddSeconds(20), 1002, "kWh", "energy", Quality.Good, Gateway, Streams.Telemetry, 2),
            new StoredSample(Meter, "energy_import", T0.AddSeconds(30), 1003, "kWh", "energy", Quality.Good, Gateway, Streams.Telemetry, 3),
            new StoredSample(Meter, "voltage_l1", T0.AddSeconds(10), 1, "V", "voltage", Quality.Good, Gateway, Streams.Billing, 1),
            new StoredSample(Meter, "voltage_l1", T0.AddSeconds(20), 2, "V", "voltage", Quality.Good, Gateway, Streams.Telemetry, 2),
            new StoredSample(Meter, "voltage_l1", T0.AddSeconds(30), 3, "V", "voltage", Quality.Good, Gateway, Streams.Telemetry, 3),
        }));
    }

    [Test]
    public async Task Reading_samples_keeps_to_the_window_and_the_points_named()
    {
        await StoreVoltages((-1, 1), (0, 2), (60, 3), (61, 4));

        var samples = await ReadAllAsync(Meter, ["voltage_l1"], T0, T0.AddSeconds(60));
        var none = await ReadAllAsync("meter-9", null, T0, T0.AddSeconds(60));

        Assert.That(samples.Select(sample => sample.Value), Is.EqualTo(new[] { 2.0, 3.0 }));
        Assert.That(none, Is.Empty);
    }

    [Test]
    public async Task A_long_export_reads_every_sample_once_in_order()
    {
        const int readings = 5_000;
        for (var first = 1; first <= readings; first += 1000)
        {
            var batch = Enumerable.Range(first, 1000).Select(seq => Reading(seq, at: T0.AddSeconds(seq), voltage: seq)).ToArray();
            await Store.StoreBatchAsync(Batch(batch), ReceivedAt, CancellationToken.None);
        }

        var voltages = (await ReadAllAsync(Meter, ["voltage_l1"], T0, T0.AddDays(1))).Select(sample => sample.Seq).ToList();

        Assert.That(voltages, Is.EqualTo(Enumerable.Range(1, readings).Select(seq => (long)seq)));
    }

    [Test]
    public async Task Retention_removes_samples_before_the_cutoff_and_keeps_the_rest_the_latest_values_and_the_device()
    {
        await Store.StoreBatchAsync(
            Batch(Reading(1, at: T0.AddDays(-3), voltage: 1), Reading(2, at: T0, voltage: 2), Reading(3, at: T0.AddHours(1), voltage: 3)),
            ReceivedAt,
            CancellationToken.None);

        var removed = await History.DeleteTelemetryBeforeAsync(T0, CancellationToken.None);

        var left = await ReadAllAsync(Meter, ["voltage_l1"], T0.AddDays(-10), T0.AddDays(1));
        Assert.That(removed, Is.EqualTo(2), "both points of the oldest reading");
        Assert.That(left.Select(sample => sample.Value), Is.EqualTo(new[] { 2.0, 3.0 }));
        Assert.That((await Store.GetLatestValuesAsync(Meter, CancellationToken.None)).Select(value => value.Value), Is.EqualTo(new[] { 1003.0, 3.0 }));
        Assert.That(await Store.FindDeviceAsync(Meter, CancellationToken.None), Is.Not.Null);
    }

    [Test]
    public async Task Retention_of_events_removes_those_before_the_cutoff()
    {
        await Store.StoreEventsAsync(Events(Alarm(1), Alarm(2), Alarm(3)), ReceivedAt, CancellationToken.None);

        var removed = await History.DeleteEventsBeforeAsync(T0.AddSeconds(2), CancellationToken.None);

        var left = await Store.GetEventsAsync(null, T0, T0.AddHours(1), 10, CancellationToken.None);
        Assert.That(removed, Is.EqualTo(1));
        Assert.That(left.Select(e => e.Seq), Is.EqualTo(new long[] { 2, 3 }));
    }

    private static AggregateQuery Query(TimeSpan interval, TelemetryAggregates aggregates, IReadOnlyCollection<string>? points = null) =>
        new(Meter, points, T0, T0.AddHours(1), interval, aggregates);

    private static TelemetryRecord Record(long seq, DateTimeOffset at, double voltage, Quality quality) =>
        new(seq, Meter, Model, at, [new PointValue("voltage_l1", voltage, "V", "voltage", quality)]);

    private Task StoreVoltages(params (int Seconds, double Voltage)[] readings) =>
        Store.StoreBatchAsync(
            Batch([.. readings.Select((reading, i) => Reading(i + 1, at: T0.AddSeconds(reading.Seconds), voltage: reading.Voltage))]),
            ReceivedAt,
            CancellationToken.None);

    private async Task<List<StoredSample>> ReadAllAsync(string deviceId, IReadOnlyCollection<string>? points, DateTimeOffset from, DateTimeOffset to)
    {
        var samples = new List<StoredSample>();
        await foreach (var sample in History.ReadSamplesAsync(deviceId, points, from, to, CancellationToken.None))
            samples.Add(sample);
        return samples;
    }
}
