using CivicEdge.Fleet.Core;
using CivicEdge.Fleet.Storage.PostgreSql;
using Npgsql;

namespace CivicEdge.Fleet.Server;

/// <summary>
/// Opens the fleet store before anything else starts: the LiteDB file is opened when the store is made; a PostgreSQL
/// store applies its migrations and creates today's partitions here. A store that cannot be opened stops the fleet at
/// start-up with the key to look at.
/// </summary>
internal sealed class StoreInitialization(IFleetStore store) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (store is not PostgreSqlFleetStore postgreSql)
            return;

        try
        {
            await postgreSql.InitializeAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is NpgsqlException or TimeoutException)
        {
            throw new InvalidOperationException(
                $"{FleetStorageOptions.Section}:ConnectionString: cannot open the fleet store on PostgreSQL {postgreSql.Endpoint}: {exception.Message}",
                exception);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
