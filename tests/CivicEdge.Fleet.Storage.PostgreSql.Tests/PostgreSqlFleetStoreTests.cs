using CivicEdge.Fleet.Contracts;
using CivicEdge.Fleet.Core;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Npgsql;
using static CivicEdge.Fleet.Storage.LiteDb.Tests.Contract.TestTelemetry;

namespace CivicEdge.Fleet.Storage.PostgreSql.Tests;

/// <summary>What the PostgreSQL store does beyond the contract: migrations, daily partitions, several nodes on one database.</summary>
[TestFixture]
[Category("Integration")]
public sealed class PostgreSqlFleetStoreTests
{
    private FixtureDatabase _database = null!;
    private PostgreSqlFleetStoreOptions _options = null!;
    private readonly List<PostgreSqlFleetStore> _opened = [];

    [OneTimeSetUp]
    public async Task CreateDatabase() => _database = await FixtureDatabase.CreateAsync("store");

    [OneTimeTearDown]
    public Task DropDatabase() => _database.DropAsync();

    [SetUp]
    public void NewSchema() => _options = _database.NewSchema();

    [TearDown]
    public async Task CloseStores()
    {
        foreach (var store in _opened)
            await store.DisposeAsync();
        _opened.Clear();
        await _database.DropSchemaAsync(_options.Schema);
    }

    [Test]
    public async Task Nodes_starting_together_apply_each_migration_once_and_a_restart_applies_none()
    {
        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => OpenAsync()));
        await OpenAsync();

        var versions = await QueryAsync<int>($"select version from {_options.Schema}.schema_migrations order by version");

        Assert.That(versions, Is.EqualTo(SchemaMigrations.All.Select(migration => migration.Version)));
    }

    [Test]
    [Category("Unit")]
    public void Every_migration_step_has_a_number_of_its_own_in_ascending_order()
    {
        var versions = SchemaMigrations.All.Select(migration => migration.Version).ToList();

        Assert.That(versions, Is.Unique.And.Ordered.Ascending);
        Assert.That(versions, Is.EqualTo(Enumerable.Range(1, versions.Count)), "steps are numbered 1, 2, 3, … without gaps");
    }

    [Test]
    public async Task A_schema_migrated_by_a_newer_fleet_is_refused_naming_both_versions()
    {
        await OpenAsync();
        await ExecuteAsync($"insert into {_options.Schema}.schema_migrations (version, description) values (99, 'from the future')");

        await using var store = new PostgreSqlFleetStore(_options, TimeProvider.System, NullLogger<PostgreSqlFleetStore>.Instance);
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => store.InitializeAsync(CancellationToken.None));

        Assert.That(error.Message, Does.Contain("version 99").And.Contain($"versions up to {SchemaMigrations.All.Max(m => m.Version)}"));
    }

    [Test]
    public async Task Partitions_exist_for_today_and_the_days_ahead_once_opened()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 22, 23, 59, 0, TimeSpan.Zero));

        await OpenAsync(clock);

        Assert.That(await PartitionsAsync(), Is.EqualTo(new[] { "samples_p20261122", "samples_p20261123", "samples_p20261124" }));
    }

    [Test]
    public async Task A_reading_from_a_day_without_a_partition_gets_one()
    {
        var store = await OpenAsync(new FakeTimeProvider(T0));
        var old = new DateTimeOffset(2025, 1, 1, 12, 0, 0, TimeSpan.Zero);

        await store.StoreBatchAsync(Batch(Reading(1, at: old)), ReceivedAt, CancellationToken.None);

        Assert.That(await PartitionsAsync(), Does.Contain("samples_p20250101"));
        var series = await store.GetSeriesAsync(Meter, old, old, 10, CancellationToken.None);
        Assert.That(series.Select(s => s.Samples.Single().Timestamp), Is.All.EqualTo(old));
    }

    [Test]
    public async Task A_day_another_node_dropped_is_made_again_when_a_late_reading_needs_it()
    {
        var clock = new FakeTimeProvider(T0);
        var first = await OpenAsync(clock);
        var second = await OpenAsync(clock);
        await second.StoreBatchAsync(Batch(Reading(1, at: T0.AddDays(-5))), ReceivedAt, CancellationToken.None);

        await first.DeleteTelemetryBeforeAsync(T0.AddDays(-1), CancellationToken.None);
        var late = await second.StoreBatchAsync(Batch(Reading(2, at: T0.AddDays(-5).AddMinutes(1))), ReceivedAt, CancellationToken.None);

        Assert.That(late, Is.EqualTo(new StoreBatchResult(1, 0)));
        Assert.That(await PartitionsAsync(), Does.Contain(SamplePartitions.NameOf(DateOnly.FromDateTime(T0.AddDays(-5).UtcDateTime))));
    }

    [Test]
    public async Task Two_nodes_ingesting_the_same_stream_at_once_store_every_record_exactly_once()
    {
        var nodes = new[] { await OpenAsync(), await OpenAsync() };

        // Each node receives every batch (as without a shared subscription), some of them twice, as resends do.
        var batches = Enumerable.Range(0, 40).Select(i => Seqs((i * 25) + 1, (i * 25) + 30)).ToList();
        var results = await Task.WhenAll(nodes.Select(node => Task.Run(async () =>
        {
            var stored = 0;
            foreach (var batch in batches)
                stored += (await node.StoreBatchAsync(batch, ReceivedAt, CancellationToken.None)).Stored;
            return stored;
        })));

        var samples = await QueryAsync<long>($"select count(*) from {_options.Schema}.samples");
        var seqs = await QueryAsync<long>($"select count(distinct seq) from {_options.Schema}.samples");
        var device = await nodes[0].FindDeviceAsync(Meter, CancellationToken.None);
        Assert.That(results.Sum(), Is.EqualTo(1005));
        Assert.That((samples.Single(), seqs.Single(), device?.Readings), Is.EqualTo((2010L, 1005L, (long?)1005)));
    }

    [Test]
    public async Task Streams_of_several_sources_reporting_the_same_devices_at_once_all_land()
    {
        var nodes = new[] { await OpenAsync(), await OpenAsync() };
        var devices = Enumerable.Range(1, 20).Select(n => $"meter-{n}").ToArray();

        // Each source reports every device, in another order: concurrent upserts of the same rows must not deadlock.
        await Task.WhenAll(Enumerable.Range(1, 8).Select(source => Task.Run(async () =>
        {
            var node = nodes[source % 2];
            for (var seq = 1; seq <= 10; seq++)
            {
                var turn = ((source * 7) + seq) % devices.Length;
                var order = devices.Skip(turn).Concat(devices.Take(turn));
                var records = (source % 2 == 0 ? order : order.Reverse()).Select(device => Reading(seq, device)).ToArray();
                var batch = new TelemetryBatch($"gw-{source}", Streams.Telemetry, records.Select((record, i) => record with { Seq = (seq * 100) + i }).ToList());
                await node.StoreBatchAsync(batch, ReceivedAt, CancellationToken.None);
            }
        })));

        var readings = (await nodes[0].ListDevicesAsync(CancellationToken.None)).Sum(device => device.Readings);
        Assert.That(readings, Is.EqualTo(8 * 10 * 20));
    }

    private async Task<PostgreSqlFleetStore> OpenAsync(TimeProvider? clock = null)
    {
        var store = await FixtureDatabase.OpenAsync(_options, clock);
        lock (_opened)
            _opened.Add(store);
        return store;
    }

    private Task<List<string>> PartitionsAsync() => QueryAsync<string>($"""
        select c.relname::text from pg_inherits i join pg_class c on c.oid = i.inhrelid
        where i.inhparent = '{_options.Schema}.samples'::regclass order by 1
        """);

    private async Task<List<T>> QueryAsync<T>(string sql)
    {
        await using var connection = new NpgsqlConnection(_database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<T>();
        while (await reader.ReadAsync())
            rows.Add(reader.GetFieldValue<T>(0));
        return rows;
    }

    private Task ExecuteAsync(string sql) => PostgreSqlServer.Cluster.ExecuteAsync(_database.Name, sql, CancellationToken.None);
}
