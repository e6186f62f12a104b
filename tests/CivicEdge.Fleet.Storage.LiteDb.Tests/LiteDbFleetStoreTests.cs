using CivicEdge.Fleet.Contracts;
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
    public async Task A_batch_that_fails_part_way_stores_nothing()
    {
        using var store = Open();
        await store.StoreBatchAsync(Seqs(1, 1), ReceivedAt, CancellationToken.None);

        // LiteDB refuses an index key over 1023 bytes while inserting the third record, after the first two.
        var tooLong = new TelemetryRecord(4, Meter, Model, T0, [new PointValue(new string('p', 1100), 1, "V", null, Quality.Good)]);
        var failing = Batch(Reading(2), Reading(3), tooLong);
        await Assert.ThrowsAsync<LiteException>(() => store.StoreBatchAsync(failing, ReceivedAt, CancellationToken.None));

        var retried = await store.StoreBatchAsync(Seqs(2, 3), ReceivedAt, CancellationToken.None);
        var device = await store.FindDeviceAsync(Meter, CancellationToken.None);
        Assert.That(retried, Is.EqualTo(new Core.StoreBatchResult(2, 0)));
        Assert.That(device?.Readings, Is.EqualTo(3));
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
}
