using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace CivicEdge.Fleet.Storage.PostgreSql.Tests;

/// <summary>Single-leader jobs among nodes sharing one database, decided by PostgreSQL advisory locks.</summary>
[TestFixture]
[Category("Integration")]
public sealed class PostgreSqlLeaderElectionTests
{
    private FixtureDatabase _database = null!;

    [OneTimeSetUp]
    public async Task CreateDatabase() => _database = await FixtureDatabase.CreateAsync("leader");

    [OneTimeTearDown]
    public Task DropDatabase() => _database.DropAsync();

    [Test]
    public async Task One_node_leads_a_job_and_another_takes_it_once_released()
    {
        var options = _database.NewSchema();
        var first = Election(options);
        var second = Election(options);

        var leading = await first.TryLeadAsync("retention", CancellationToken.None);
        var refused = await second.TryLeadAsync("retention", CancellationToken.None);
        await leading!.DisposeAsync();
        var taken = await second.TryLeadAsync("retention", CancellationToken.None);

        Assert.That(refused, Is.Null);
        Assert.That(taken, Is.Not.Null);
        await taken!.DisposeAsync();
    }

    [Test]
    public async Task Different_jobs_and_different_schemas_are_led_independently()
    {
        var options = _database.NewSchema();
        var election = Election(options);

        await using var retention = await election.TryLeadAsync("retention", CancellationToken.None);
        await using var offline = await Election(options).TryLeadAsync("offline-detector", CancellationToken.None);
        await using var otherFleet = await Election(_database.NewSchema()).TryLeadAsync("retention", CancellationToken.None);

        Assert.That(new object?[] { retention, offline, otherFleet }, Is.All.Not.Null);
    }

    [Test]
    public async Task A_leader_whose_session_ends_learns_it_has_lost_and_another_node_can_lead()
    {
        var options = _database.NewSchema();
        var clock = new FakeTimeProvider();
        await using var leading = await Election(options, clock).TryLeadAsync("retention", CancellationToken.None);

        await PostgreSqlServer.Cluster.ExecuteAsync(
            _database.Name,
            "select pg_terminate_backend(pid) from pg_stat_activity where application_name = 'civicedge-fleet leader'",
            CancellationToken.None);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while (!leading!.Lost.IsCancellationRequested)
        {
            clock.Advance(PostgreSqlLeaderElection.ProbeInterval);
            await Task.Delay(20, timeout.Token);
        }

        await using var successor = await Election(options).TryLeadAsync("retention", CancellationToken.None);
        Assert.That(successor, Is.Not.Null);
    }

    private static PostgreSqlLeaderElection Election(PostgreSqlFleetStoreOptions options, TimeProvider? clock = null) =>
        new(options, clock ?? TimeProvider.System, NullLogger<PostgreSqlLeaderElection>.Instance);
}
