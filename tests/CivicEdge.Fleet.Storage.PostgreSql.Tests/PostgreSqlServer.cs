namespace CivicEdge.Fleet.Storage.PostgreSql.Tests;

/// <summary>One PostgreSQL server for the whole test run, started before the first fixture and removed after the last.</summary>
[SetUpFixture]
public sealed class PostgreSqlServer
{
    private static PostgreSqlCluster? _cluster;

    internal static PostgreSqlCluster Cluster =>
        _cluster ?? throw new InvalidOperationException("The PostgreSQL server is started by the set-up fixture of this namespace.");

    [OneTimeSetUp]
    public async Task StartServer()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        _cluster = await PostgreSqlCluster.StartAsync(durable: false, timeout.Token);
    }

    [OneTimeTearDown]
    public async Task StopServer()
    {
        if (_cluster is not null)
            await _cluster.DisposeAsync();
        _cluster = null;
    }
}
