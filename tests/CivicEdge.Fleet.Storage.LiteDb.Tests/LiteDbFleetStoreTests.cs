using CivicEdge.Fleet.Contracts;
using CivicEdge.Fleet.Contracts.Ota;
using LiteDB;
using Microsoft.Extensions.Logging.Abstractions;
using static CivicEdge.Fleet.Storage.LiteDb.Tests.Contract.TestTelemetry;

namespace CivicEdge.Fleet.Storage.LiteDb.Tests;

[TestFixture]
[Category("Integration")]
public sealed class LiteDbFleetStoreTests
{
    private string _directory = string.Empty;
    private string _path = string.Empty;

    [SetUp]
    public void CreateDirectory()
    {
        _directory = Directory.CreateTempSubdirectory("civicedge-fleet-store-").FullName;
        _path = Path.Combine(_directory, "fleet.db");
    }

    [TearDown]
    public void DeleteDirectory() => Directory.Delete(_directory, recursive: true);

    [Test]
    public async Task Data_and_watermarks_survive_closing_and_reopening_the_file()
    {
        using (var store = Open())
        {
            await store.StoreBatchAsync(Seqs(1, 3), ReceivedAt, CancellationToken.None);
            await store.RecordSourceStateAsync(new SourceState(Gateway, true, "0.1.0", T0), CancellationToken.None);
        }

        using var reopened = Open();
        var again = await reopened.StoreBatchAsync(Seqs(2, 4), ReceivedAt, CancellationToken.None);
        var device = await reopened.FindDeviceAsync(Meter, CancellationToken.None);
        var series = await reopened.GetSeriesAsync(Meter, T0, T0.AddHours(1), 100, CancellationToken.None);
        var sources = await reopened.ListSourcesAsync(CancellationToken.None);

        Assert.That(again, Is.EqualTo(new Core.StoreBatchResult(1, 2)));
        Assert.That(device, Is.EqualTo(new DeviceSummary(Meter, Model, Gateway, ReceivedAt, T0.AddSeconds(4), 4)));
        Assert.That(series.Single(s => s.Point == "voltage_l1").Samples, Has.Count.EqualTo(4));
        Assert.That(sources.Single().Timestamp.Offset, Is.EqualTo(TimeSpan.Zero));
    }

    [Test]
    public async Task Status_reports_appended_at_once_past_the_capacity_are_refused_exactly_beyond_it()
    {
        using var store = Open();

        var appends = Enumerable.Range(0, 200)
            .Select(n => store.TryAppendOtaStatusAsync($"gw-{n % 20:D2}", Status(n), ReceivedAt, 150, CancellationToken.None))
            .ToList();
        var stored = await Task.WhenAll(appends);

        Assert.That(stored.Count(taken => taken), Is.EqualTo(150));
        Assert.That(await store.CountPendingOtaStatusAsync(CancellationToken.None), Is.EqualTo(150));
        Assert.That((await store.ReadPendingOtaStatusAsync(1_000, CancellationToken.None)).Select(p => p.Report.Sequence),
            Is.EqualTo(Enumerable.Range(0, 200).Where(n => stored[n]).Select(n => (long)n)));
    }

    [Test]
    public async Task A_failing_batch_queued_with_status_reports_leaves_them_stored_numbered_without_gaps_and_counted_once()
    {
        using var store = Open();
        var tooLong = Batch(Reading(1, new string('d', 1100)));

        // Queued together, so that the writer is likely to try them in one transaction, which the batch rolls back.
        var before = Enumerable.Range(0, 25).Select(n => store.TryAppendOtaStatusAsync("gw-01", Status(n), ReceivedAt, 1_000, CancellationToken.None)).ToList();
        var failing = store.StoreBatchAsync(tooLong, ReceivedAt, CancellationToken.None);
        var after = Enumerable.Range(25, 25).Select(n => store.TryAppendOtaStatusAsync("gw-01", Status(n), ReceivedAt, 1_000, CancellationToken.None)).ToList();

        await Assert.ThatAsync(() => failing, Throws.InstanceOf<LiteException>());
        var stored = await Task.WhenAll(before.Concat(after));
        var pending = await store.ReadPendingOtaStatusAsync(1_000, CancellationToken.None);

        Assert.That(stored, Is.All.True);
        Assert.That(pending.Select(p => p.Report.Sequence), Is.EqualTo(Enumerable.Range(0, 50).Select(n => (long)n)));
        Assert.That(pending.Select(p => p.Id), Is.EqualTo(Enumerable.Range(1, 50).Select(n => (long)n)));
        Assert.That(await store.CountPendingOtaStatusAsync(CancellationToken.None), Is.EqualTo(50));
    }

    [Test]
    public async Task A_batch_that_fails_part_way_stores_nothing()
    {
        using var store = Open();
        await store.StoreBatchAsync(Seqs(1, 1), ReceivedAt, CancellationToken.None);

        // LiteDB refuses an index key over 1023 bytes while inserting the third record, after the first two.
        var tooLong = Reading(4, new string('d', 1100));
        var failing = Batch(Reading(2), Reading(3), tooLong);
        await Assert.ThrowsAsync<LiteException>(() => store.StoreBatchAsync(failing, ReceivedAt, CancellationToken.None));

        var retried = await store.StoreBatchAsync(Seqs(2, 3), ReceivedAt, CancellationToken.None);
        var device = await store.FindDeviceAsync(Meter, CancellationToken.None);
        Assert.That(retried, Is.EqualTo(new Core.StoreBatchResult(2, 0)));
        Assert.That(device?.Readings, Is.EqualTo(3));
    }

    [Test]
    public async Task Among_batches_stored_at_once_one_the_store_refuses_fails_alone()
    {
        using var store = Open();
        var batches = Enumerable.Range(1, 40)
            .Select(n => Batch($"gw-{n}", "telemetry", Reading(1, n == 17 ? new string('d', 1100) : $"meter-{n}")))
            .ToList();

        var results = await Task.WhenAll(batches.Select(batch => Task.Run(async () =>
        {
            try
            {
                return (await store.StoreBatchAsync(batch, ReceivedAt, CancellationToken.None)).Stored;
            }
            catch (LiteException)
            {
                return -1;
            }
        })));

        Assert.That(results, Is.EqualTo(Enumerable.Range(1, 40).Select(n => n == 17 ? -1 : 1)));
        Assert.That((await store.ListDevicesAsync(CancellationToken.None)).Count, Is.EqualTo(39));
    }

    [Test]
    public async Task A_file_of_the_first_layout_is_upgraded_with_every_reading_and_latest_value()
    {
        var time = T0.UtcDateTime;
        using (var legacy = new LiteDatabase(new ConnectionString { Filename = _path, Collation = Collation.Binary }) { UtcDate = true })
        {
            var samples = legacy.GetCollection("samples");
            foreach (var (seq, point, value, unit) in new[] { (1L, "energy_import", 1001.0, "kWh"), (1L, "voltage_l1", 230.0, "V"), (2L, "voltage_l1", 231.0, "V") })
            {
                var at = time.AddSeconds(seq);
                samples.Insert(new BsonDocument
                {
                    ["_id"] = $"{Meter}\u001f{point}\u001f{at.Ticks:D19}\u001f{ObjectId.NewObjectId()}",
                    ["time"] = at, ["value"] = value, ["unit"] = unit, ["quantity"] = BsonValue.Null, ["quality"] = "Good",
                    ["source"] = Gateway, ["stream"] = "telemetry", ["seq"] = seq,
                });
            }

            legacy.GetCollection("latest").Insert(new BsonDocument
            {
                ["_id"] = $"{Meter}\u001fvoltage_l1", ["point"] = "voltage_l1", ["time"] = time.AddSeconds(2), ["value"] = 231.0,
                ["unit"] = "V", ["quantity"] = BsonValue.Null, ["quality"] = "Stale",
            });
            legacy.GetCollection("streams").Insert(new BsonDocument { ["_id"] = $"{Gateway}\u001ftelemetry", ["lastSeq"] = 2L });
            legacy.GetCollection("devices").Insert(new BsonDocument
            {
                ["_id"] = Meter, ["model"] = Model, ["gateway"] = Gateway, ["firstSeen"] = time, ["lastSeen"] = time.AddSeconds(2), ["readings"] = 2L,
            });
        }

        using var store = Open();
        var series = await store.GetSeriesAsync(Meter, T0, T0.AddMinutes(1), 10, CancellationToken.None);
        var latest = await store.GetLatestValuesAsync(Meter, CancellationToken.None);
        var again = await store.StoreBatchAsync(Seqs(1, 3), ReceivedAt, CancellationToken.None);

        Assert.That(series.Select(s => (s.Point, s.Samples.Count)), Is.EqualTo(new[] { ("energy_import", 1), ("voltage_l1", 2) }));
        Assert.That(latest.Single(), Is.EqualTo(new LatestValue("voltage_l1", 231, "V", null, Quality.Stale, T0.AddSeconds(2))));
        Assert.That(again, Is.EqualTo(new Core.StoreBatchResult(1, 2)), "the watermark survives the upgrade");
        Assert.That((await store.FindDeviceAsync(Meter, CancellationToken.None))?.Readings, Is.EqualTo(3));
    }

    [Test]
    public async Task Times_come_back_as_utc_whatever_offset_they_were_given_in()
    {
        using var store = Open();
        var local = new DateTimeOffset(2026, 11, 22, 18, 0, 0, TimeSpan.FromHours(8));
        await store.StoreBatchAsync(Batch(Reading(1, at: local)), ReceivedAt, CancellationToken.None);

        var latest = await store.GetLatestValuesAsync(Meter, CancellationToken.None);

        Assert.That(latest[0].Timestamp, Is.EqualTo(local));
        Assert.That(latest[0].Timestamp.Offset, Is.EqualTo(TimeSpan.Zero));
    }

    [Test]
    public async Task A_closed_store_is_unavailable()
    {
        var store = Open();
        store.Dispose();

        Assert.That(await store.IsAvailableAsync(CancellationToken.None), Is.False);
    }

    [Test]
    public void A_file_created_with_another_collation_is_refused()
    {
        // LiteDB's default collation ignores case.
        using (var other = new LiteDatabase(new ConnectionString { Filename = _path }))
            other.GetCollection("devices").Insert(new BsonDocument { ["_id"] = "x" });

        var error = Assert.Throws<InvalidOperationException>(() => Open().Dispose());

        Assert.That(error.Message, Does.StartWith(_path).And.Contain("collation"));
    }

    [Test]
    public void The_folder_of_the_file_is_created_when_missing()
    {
        _path = Path.Combine(_directory, "data", "fleet.db");

        using var store = Open();

        Assert.That(File.Exists(_path), Is.True);
    }

    private LiteDbFleetStore Open() =>
        new(new LiteDbFleetStoreOptions { Path = _path }, NullLogger<LiteDbFleetStore>.Instance);

    private static OtaStatusReport Status(long sequence) =>
        new("c-1", "slc-0001", 1, sequence, OtaPhase.Downloading, sequence * 1024, null, null, T0);
}
