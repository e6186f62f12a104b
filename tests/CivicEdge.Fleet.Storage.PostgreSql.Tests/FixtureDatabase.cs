using Microsoft.Extensions.Logging.Abstractions;

namespace CivicEdge.Fleet.Storage.PostgreSql.Tests;

/// <summary>
/// A fresh database for one fixture, and an empty schema of it for each store a test opens: every test starts from
/// nothing without paying for a database of its own.
/// </summary>
internal sealed class FixtureDatabase
{
    private int _schemas;

    private FixtureDatabase(string name) => Name = name;

    public string Name { get; }

    public string ConnectionString => PostgreSqlServer.Cluster.ConnectionString(Name);

    public static async Task<FixtureDatabase> CreateAsync(string prefix) =>
        new(await PostgreSqlServer.Cluster.CreateDatabaseAsync(prefix, CancellationToken.None));

    public Task DropAsync() => PostgreSqlServer.Cluster.DropDatabaseAsync(Name, CancellationToken.None);

    /// <summary>Options for a schema no store has used yet in this database.</summary>
    public PostgreSqlFleetStoreOptions NewSchema() => new()
    {
        ConnectionString = ConnectionString,
        Schema = $"test_{Interlocked.Increment(ref _schemas)}",
    };

    /// <summary>An initialised store on <paramref name="options"/>, its clock at <paramref name="timeProvider"/> or the system's.</summary>
    public static async Task<PostgreSqlFleetStore> OpenAsync(PostgreSqlFleetStoreOptions options, TimeProvider? timeProvider = null)
    {
        var store = new PostgreSqlFleetStore(options, timeProvider ?? TimeProvider.System, NullLogger<PostgreSqlFleetStore>.Instance);
        try
        {
            await store.InitializeAsync(CancellationToken.None);
            return store;
        }
        catch
        {
            await store.DisposeAsync();
            throw;
        }
    }

    public Task DropSchemaAsync(string schema) =>
        PostgreSqlServer.Cluster.ExecuteAsync(Name, $"drop schema if exists {schema} cascade", CancellationToken.None);
}
