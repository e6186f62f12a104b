using CivicEdge.Fleet.Contracts;
using CivicEdge.Fleet.Core;
using static CivicEdge.Fleet.Storage.LiteDb.Tests.Contract.TestTelemetry;

namespace CivicEdge.Fleet.Storage.LiteDb.Tests.Contract;

/// <summary>
/// What every <see cref="IFleetStore"/> must do, whatever its engine. A store project derives one fixture from this
/// class and supplies a fresh, empty store per test.
/// </summary>
public abstract class FleetStoreContractTests
{
    private IFleetStore? _store;

    protected IFleetStore Store => _store ?? throw new InvalidOperationException("The store is opened in SetUp.");

    /// <summary>A new, empty store.</summary>
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
    public async Task A_new_batch_is_stored_in_full()
    {
        var result = await Store.StoreBatchAsync(Seqs(1, 3), ReceivedAt, CancellationToken.None);

        Assert.That(result, Is.EqualTo(new StoreBatchResult(3, 0)));
    }

    [Test]
    public async Task The_same_batch_stored_again_is_all_duplicates()
    {
        await Store.StoreBatchAsync(Seqs(1, 3), ReceivedAt, CancellationToken.None);

        var again = await Store.StoreBatchAsync(Seqs(1, 3), ReceivedAt, CancellationToken.None);

        Assert.That(again, Is.EqualTo(new StoreBatchResult(0, 3)));
    }

    [Test]
    public async Task A_batch_overlapping_an_earlier_one_stores_only_the_records_after_it()
    {
        await Store.StoreBatchAsync(Seqs(1, 4), ReceivedAt, CancellationToken.None);

        var overlapping = await Store.StoreBatchAsync(Seqs(3, 6), ReceivedAt, CancellationToken.None);

        Assert.That(overlapping, Is.EqualTo(new StoreBatchResult(2, 2)));
        var device = await Store.FindDeviceAsync(Meter, CancellationToken.None);
        Assert.That(device?.Readings, Is.EqualTo(6));
    }

    [Test]
    public async Task A_record_not_above_an_earlier_one_in_the_same_batch_is_a_duplicate()
    {
        var batch = Batch(Reading(1), Reading(2), Reading(2), Reading(3), Reading(1));

        var result = await Store.StoreBatchAsync(batch, ReceivedAt, CancellationToken.None);

        Assert.That(result, Is.EqualTo(new StoreBatchResult(3, 2)));
    }

    [Test]
    public async Task Sequence_numbers_are_counted_per_source_and_per_stream()
    {
        await Store.StoreBatchAsync(Batch("gw-1", "telemetry", Reading(1)), ReceivedAt, CancellationToken.None);

        var otherStream = await Store.StoreBatchAsync(Batch("gw-1", "events", Reading(1)), ReceivedAt, CancellationToken.None);
        var otherSource = await Store.StoreBatchAsync(Batch("gw-2", "telemetry", Reading(1)), ReceivedAt, CancellationToken.None);

        Assert.That(otherStream, Is.EqualTo(new StoreBatchResult(1, 0)));
        Assert.That(otherSource, Is.EqualTo(new StoreBatchResult(1, 0)));
    }

    [Test]
    public async Task A_device_is_listed_with_model_gateway_first_and_last_seen_and_its_reading_count()
    {
        await Store.StoreBatchAsync(Seqs(1, 2), ReceivedAt, CancellationToken.None);
        await Store.StoreBatchAsync(Seqs(3, 3), ReceivedAt.AddMinutes(1), CancellationToken.None);

        var devices = await Store.ListDevicesAsync(CancellationToken.None);

        Assert.That(devices, Is.EqualTo(new[]
        {
            new DeviceSummary(Meter, Model, Gateway, ReceivedAt, T0.AddSeconds(3), 3),
        }));
    }

    [Test]
    public async Task Devices_are_listed_by_id_and_ids_differing_in_case_are_different_devices()
    {
        var batch = Batch(Reading(1, "meter-b"), Reading(2, "Meter-b"), Reading(3, "meter-a"));
        await Store.StoreBatchAsync(batch, ReceivedAt, CancellationToken.None);

        var devices = await Store.ListDevicesAsync(CancellationToken.None);

        Assert.That(devices.Select(device => device.Id), Is.EqualTo(new[] { "Meter-b", "meter-a", "meter-b" }));
    }

    [Test]
    public async Task A_reading_without_a_model_keeps_the_model_known_before()
    {
        await Store.StoreBatchAsync(Batch(Reading(1), Reading(2, model: null)), ReceivedAt, CancellationToken.None);

        var device = await Store.FindDeviceAsync(Meter, CancellationToken.None);

        Assert.That(device?.Model, Is.EqualTo(Model));
    }

    [Test]
    public async Task An_unknown_device_is_not_found_and_has_no_telemetry()
    {
        await Store.StoreBatchAsync(Seqs(1, 1), ReceivedAt, CancellationToken.None);

        var device = await Store.FindDeviceAsync("meter-9", CancellationToken.None);
        var latest = await Store.GetLatestValuesAsync("meter-9", CancellationToken.None);
        var series = await Store.GetSeriesAsync("meter-9", T0, T0.AddHours(1), 10, CancellationToken.None);

        Assert.That(device, Is.Null);
        Assert.That(latest, Is.Empty);
        Assert.That(series, Is.Empty);
    }

    [Test]
    public async Task A_device_whose_id_starts_another_does_not_see_its_values()
    {
        await Store.StoreBatchAsync(Batch(Reading(1, "meter-10")), ReceivedAt, CancellationToken.None);

        var latest = await Store.GetLatestValuesAsync("meter-1", CancellationToken.None);

        Assert.That(latest, Is.Empty);
    }

    [Test]
    public async Task Latest_values_carry_unit_quantity_and_quality_per_point()
    {
        await Store.StoreBatchAsync(Batch(Reading(1, voltage: 229.5)), ReceivedAt, CancellationToken.None);

        var latest = await Store.GetLatestValuesAsync(Meter, CancellationToken.None);

        Assert.That(latest, Is.EqualTo(new[]
        {
            new LatestValue("energy_import", 1001, "kWh", "energy", Quality.Good, T0.AddSeconds(1)),
            new LatestValue("voltage_l1", 229.5, "V", "voltage", Quality.Good, T0.AddSeconds(1)),
        }));
    }

    [Test]
    public async Task The_latest_value_is_the_newest_by_time_even_when_an_older_reading_arrives_later()
    {
        await Store.StoreBatchAsync(Batch(Reading(1, at: T0.AddMinutes(10), voltage: 231)), ReceivedAt, CancellationToken.None);
        await Store.StoreBatchAsync(Batch(Reading(2, at: T0.AddMinutes(5), voltage: 225)), ReceivedAt, CancellationToken.None);

        var latest = await Store.GetLatestValuesAsync(Meter, CancellationToken.None);

        var voltage = latest.Single(value => value.Point == "voltage_l1");
        Assert.That((voltage.Value, voltage.Timestamp), Is.EqualTo((231.0, T0.AddMinutes(10))));
    }

    [Test]
    public async Task A_series_holds_the_samples_within_the_window_bounds_included_oldest_first()
    {
        await Store.StoreBatchAsync(
            Batch(
                Reading(1, at: T0.AddSeconds(-1), voltage: 1),
                Reading(2, at: T0, voltage: 2),
                Reading(3, at: T0.AddSeconds(30), voltage: 3),
                Reading(4, at: T0.AddSeconds(60), voltage: 4),
                Reading(5, at: T0.AddSeconds(61), voltage: 5)),
            ReceivedAt,
            CancellationToken.None);

        var series = await Store.GetSeriesAsync(Meter, T0, T0.AddSeconds(60), 100, CancellationToken.None);

        var voltage = series.Single(s => s.Point == "voltage_l1");
        Assert.That(series.Select(s => s.Point), Is.EqualTo(new[] { "energy_import", "voltage_l1" }));
        Assert.That((voltage.Unit, voltage.Quantity), Is.EqualTo(("V", (string?)"voltage")));
        Assert.That(voltage.Samples, Is.EqualTo(new[]
        {
            new Sample(T0, 2, Quality.Good),
            new Sample(T0.AddSeconds(30), 3, Quality.Good),
            new Sample(T0.AddSeconds(60), 4, Quality.Good),
        }));
    }

    [Test]
    public async Task A_series_longer_than_the_limit_keeps_the_newest_samples()
    {
        await Store.StoreBatchAsync(Seqs(1, 10), ReceivedAt, CancellationToken.None);

        var series = await Store.GetSeriesAsync(Meter, T0, T0.AddHours(1), 3, CancellationToken.None);

        var energy = series.Single(s => s.Point == "energy_import");
        Assert.That(energy.Samples.Select(sample => sample.Value), Is.EqualTo(new[] { 1008.0, 1009.0, 1010.0 }));
    }

    [Test]
    public async Task Two_readings_of_a_device_at_the_same_time_are_both_kept()
    {
        await Store.StoreBatchAsync(Batch(Reading(1, at: T0, voltage: 1), Reading(2, at: T0, voltage: 2)), ReceivedAt, CancellationToken.None);

        var series = await Store.GetSeriesAsync(Meter, T0, T0, 10, CancellationToken.None);

        var voltage = series.Single(s => s.Point == "voltage_l1");
        Assert.That(voltage.Samples.Select(sample => sample.Value), Is.EquivalentTo(new[] { 1.0, 2.0 }));
    }

    [Test]
    public async Task A_newer_source_state_replaces_the_held_one_and_an_older_one_is_ignored()
    {
        await Store.RecordSourceStateAsync(new SourceState(Gateway, true, "0.1.0", T0), CancellationToken.None);
        await Store.RecordSourceStateAsync(new SourceState(Gateway, false, "0.1.0", T0.AddMinutes(2)), CancellationToken.None);
        await Store.RecordSourceStateAsync(new SourceState(Gateway, true, "0.0.9", T0.AddMinutes(1)), CancellationToken.None);
        await Store.RecordSourceStateAsync(new SourceState("gw-2", true, null, T0), CancellationToken.None);

        var sources = await Store.ListSourcesAsync(CancellationToken.None);

        Assert.That(sources, Is.EqualTo(new[]
        {
            new SourceState(Gateway, false, "0.1.0", T0.AddMinutes(2)),
            new SourceState("gw-2", true, null, T0),
        }));
    }

    [Test]
    public async Task Reads_alongside_the_first_writes_of_a_new_store_all_succeed()
    {
        using var writing = new CancellationTokenSource();
        var writer = Task.Run(async () =>
        {
            try
            {
                for (var seq = 1; seq <= 40; seq++)
                {
                    await Store.RecordSourceStateAsync(new SourceState($"gw-{seq % 4}", true, null, T0.AddSeconds(seq)), CancellationToken.None);
                    await Store.StoreBatchAsync(Batch(Reading(seq, $"meter-{seq % 3}")), ReceivedAt, CancellationToken.None);
                }
            }
            finally
            {
                await writing.CancelAsync();
            }
        });
        var reader = Task.Run(async () =>
        {
            do
            {
                await Store.ListSourcesAsync(CancellationToken.None);
                await Store.ListDevicesAsync(CancellationToken.None);
                await Store.GetSeriesAsync("meter-1", T0, T0.AddHours(1), 5, CancellationToken.None);
            }
            while (!writing.IsCancellationRequested);
        });

        await Task.WhenAll(writer, reader);

        Assert.That((await Store.ListDevicesAsync(CancellationToken.None)).Sum(device => device.Readings), Is.EqualTo(40));
    }

    [Test]
    public async Task An_open_store_is_available()
    {
        Assert.That(await Store.IsAvailableAsync(CancellationToken.None), Is.True);
    }

    [Test]
    public async Task New_events_are_stored_and_the_same_events_again_are_duplicates()
    {
        var first = await Store.StoreEventsAsync(Events(Alarm(1), Alarm(2)), ReceivedAt, CancellationToken.None);
        var again = await Store.StoreEventsAsync(Events(Alarm(2), Alarm(3)), ReceivedAt, CancellationToken.None);

        Assert.That((first, again), Is.EqualTo((new StoreBatchResult(2, 0), new StoreBatchResult(1, 1))));
        var stored = await Store.GetEventsAsync(Meter, T0, T0.AddHours(1), 10, CancellationToken.None);
        Assert.That(stored.Select(e => e.Seq), Is.EqualTo(new long[] { 1, 2, 3 }));
    }

    [Test]
    public async Task An_event_comes_back_as_it_was_stored_with_its_source_and_reception_time()
    {
        await Store.StoreEventsAsync(Events(Alarm(5)), ReceivedAt, CancellationToken.None);

        var stored = (await Store.GetEventsAsync(Meter, T0, T0.AddHours(1), 10, CancellationToken.None)).Single();

        Assert.That(stored, Is.EqualTo(new EventEntry(Gateway, 5, Meter, T0.AddSeconds(5), "voltage_l1.high", EventState.Raised, EventSeverity.Major,
            "Voltage L1 above 253 V", "voltage_l1", 257.5, ReceivedAt)));
    }

    [Test]
    public async Task Event_and_telemetry_sequence_numbers_are_counted_apart()
    {
        await Store.StoreBatchAsync(Seqs(1, 10), ReceivedAt, CancellationToken.None);

        var events = await Store.StoreEventsAsync(Events(Alarm(1)), ReceivedAt, CancellationToken.None);

        Assert.That(events, Is.EqualTo(new StoreBatchResult(1, 0)));
    }

    [Test]
    public async Task Events_are_queried_per_device_or_for_all_within_the_window_oldest_first_newest_kept_when_limited()
    {
        await Store.StoreEventsAsync(Events(
            Alarm(1), Alarm(2, "meter-2"), Alarm(3), Alarm(4, "meter-2"), Alarm(5), Alarm(100)), ReceivedAt, CancellationToken.None);

        var meter = await Store.GetEventsAsync(Meter, T0, T0.AddSeconds(10), 10, CancellationToken.None);
        var all = await Store.GetEventsAsync(null, T0.AddSeconds(2), T0.AddSeconds(5), 10, CancellationToken.None);
        var newest = await Store.GetEventsAsync(null, T0, T0.AddHours(1), 2, CancellationToken.None);
        var none = await Store.GetEventsAsync("meter-9", T0, T0.AddHours(1), 10, CancellationToken.None);

        Assert.That(meter.Select(e => e.Seq), Is.EqualTo(new long[] { 1, 3, 5 }));
        Assert.That(all.Select(e => (e.Seq, e.DeviceId)), Is.EqualTo(new[] { (2L, "meter-2"), (3L, Meter), (4L, "meter-2"), (5L, Meter) }));
        Assert.That(newest.Select(e => e.Seq), Is.EqualTo(new long[] { 5, 100 }));
        Assert.That(none, Is.Empty);
    }

    [Test]
    public async Task Every_desired_change_of_a_twin_raises_its_version_by_one_and_a_withdrawal_too()
    {
        var configuration = new DesiredConfiguration([], [System.Text.Json.JsonDocument.Parse("""{"id":"mtr-1"}""").RootElement], ["schema: x"]);

        var first = await Store.SetDesiredAsync("gw-1", configuration, ReceivedAt, CancellationToken.None);
        var second = await Store.SetDesiredAsync("gw-1", configuration, ReceivedAt, CancellationToken.None);
        var withdrawn = await Store.SetDesiredAsync("gw-1", null, ReceivedAt, CancellationToken.None);
        var other = await Store.SetDesiredAsync("gw-2", configuration, ReceivedAt, CancellationToken.None);

        Assert.That((first.Version, second.Version, withdrawn.Version, other.Version), Is.EqualTo((1L, 2L, 3L, 1L)));
        var twin = await Store.GetTwinAsync("gw-1", CancellationToken.None);
        Assert.That((twin!.Desired!.Version, twin.Desired.Configuration, twin.Reported), Is.EqualTo((3L, (DesiredConfiguration?)null, (ReportedState?)null)));
        var stored = (await Store.GetTwinAsync("gw-2", CancellationToken.None))!.Desired!.Configuration!;
        Assert.That((stored.Devices.Single().GetProperty("id").GetString(), stored.Profiles.Single()), Is.EqualTo(("mtr-1", "schema: x")));
        Assert.That((await Store.ListTwinsAsync(CancellationToken.None)).Select(t => t.DeviceId), Is.EqualTo(new[] { "gw-1", "gw-2" }));
    }

    [Test]
    public async Task A_reported_state_is_kept_as_received_and_an_older_one_is_ignored()
    {
        var newer = Reported(ReceivedAt, appliedVersion: 2);

        await Store.RecordReportedAsync(newer, ReceivedAt, CancellationToken.None);
        await Store.RecordReportedAsync(Reported(ReceivedAt.AddMinutes(-1), appliedVersion: 1), ReceivedAt, CancellationToken.None);

        var twin = await Store.GetTwinAsync("gw-1", CancellationToken.None);
        Assert.That(twin!.Desired, Is.Null);
        Assert.That(twin.Reported!.AppliedVersion, Is.EqualTo(2));
        Assert.That(twin.Reported.Devices.Single(), Is.EqualTo(newer.Devices.Single()));
        Assert.That(twin.ReportedAt, Is.EqualTo(ReceivedAt));
        Assert.That(await Store.GetTwinAsync("gw-unknown", CancellationToken.None), Is.Null);
    }

    [Test]
    public async Task The_latest_health_report_of_a_source_is_kept_and_an_older_one_is_ignored()
    {
        await Store.RecordHealthAsync(Health(ReceivedAt, uptime: 60), CancellationToken.None);
        await Store.RecordHealthAsync(Health(ReceivedAt.AddSeconds(-30), uptime: 30), CancellationToken.None);

        var report = await Store.GetHealthAsync("gw-1", CancellationToken.None);

        Assert.That(report!.UptimeSeconds, Is.EqualTo(60));
        Assert.That(report.Devices.Single().Verdict, Is.EqualTo(HealthVerdict.Degraded));
        Assert.That(await Store.GetHealthAsync("gw-2", CancellationToken.None), Is.Null);
    }

    private static ReportedState Reported(DateTimeOffset at, long appliedVersion) => new(
        "gw-1", "0.1.0", at, ConfigurationOrigin.Fleet, appliedVersion,
        new ConfigurationOutcome(appliedVersion, ConfigurationStatus.Applied, [], at), null,
        [new ReportedDevice("mtr-1", "eastron-sdm630", "rs485-1", 1, 5)]);

    private static HealthReport Health(DateTimeOffset at, double uptime) => new(
        "gw-1", "0.1.0", at, uptime, ConfigurationOrigin.Local, null, new ProcessHealth(1, 1, 1, 1), new DiskHealth("/x", 1, 2), [],
        new UplinkHealth(true, at, null, null, 0),
        [new DeviceHealth("mtr-1", "rs485-1", HealthVerdict.Degraded, ["missed its last poll"], 1, 1, 0, 1, 0, 0, 0, 1, null, null, null, null)]);
}
