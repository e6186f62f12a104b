using CivicEdge.Fleet.Core;
using CivicEdge.Fleet.Core.Access;
using CivicEdge.Fleet.Core.Audit;
using CivicEdge.Fleet.Core.Ledger;
using CivicEdge.Fleet.Storage.LiteDb;
using CivicEdge.Fleet.Storage.LiteDb.Ledger;
using CivicEdge.Fleet.Storage.PostgreSql;
using CivicEdge.Fleet.Storage.PostgreSql.Ledger;
using Microsoft.Extensions.Options;

namespace CivicEdge.Fleet.Server;

/// <summary>
/// The store the fleet runs on, chosen by <c>Fleet:Storage:Provider</c>: the same <see cref="IFleetStore"/>,
/// <see cref="ITelemetryHistory"/>, <see cref="IAuditStore"/>, <see cref="IApiKeyStore"/>, <see cref="IDeviceLedgerStore"/>
/// and <see cref="ILeaderElection"/> whatever the engine, the store opened before any other service starts, and the
/// retention job led by one node. On PostgreSQL every node shares everything: telemetry, ledger, keys and audit log; on
/// LiteDB the ledger has a file of its own beside the telemetry store (<c>Fleet:Ledger:Path</c>).
/// </summary>
internal static class FleetStorageComposition
{
    public static IServiceCollection AddFleetStorage(this IServiceCollection services)
    {
        var validator = new StorageOptionsValidator();
        services.AddOptions<FleetStorageOptions>().BindConfiguration(FleetStorageOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<FleetStorageOptions>>(validator);
        services.AddOptions<RetentionOptions>().BindConfiguration(RetentionOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<RetentionOptions>>(validator);

        services.AddSingleton(provider =>
        {
            var storage = provider.GetRequiredService<IOptions<FleetStorageOptions>>().Value;
            return new PostgreSqlFleetStoreOptions
            {
                ConnectionString = storage.ConnectionString,
                Schema = storage.Schema,
                PartitionsAhead = storage.PartitionsAhead,
            };
        });
        services.AddSingleton(provider => new LiteDbFleetStoreOptions
        {
            Path = provider.GetRequiredService<IOptions<FleetStorageOptions>>().Value.Path,
        });
        services.AddSingleton<IFleetStore>(provider => IsPostgreSql(provider)
            ? ActivatorUtilities.CreateInstance<PostgreSqlFleetStore>(provider)
            : ActivatorUtilities.CreateInstance<LiteDbFleetStore>(provider));
        services.AddSingleton(provider => (ITelemetryHistory)provider.GetRequiredService<IFleetStore>());
        services.AddSingleton(provider => (IAuditStore)provider.GetRequiredService<IFleetStore>());
        services.AddSingleton(provider => (IApiKeyStore)provider.GetRequiredService<IFleetStore>());
        services.AddSingleton<IDeviceLedgerStore>(provider => IsPostgreSql(provider)
            ? ActivatorUtilities.CreateInstance<PostgreSqlDeviceLedgerStore>(provider)
            : ActivatorUtilities.CreateInstance<LiteDbDeviceLedgerStore>(provider));
        services.AddSingleton<ILeaderElection>(provider => IsPostgreSql(provider)
            ? ActivatorUtilities.CreateInstance<PostgreSqlLeaderElection>(provider)
            : new LocalLeaderElection());

        // First of the hosted services: they start in registration order, and everything after uses the store.
        services.AddHostedService<StoreInitialization>();
        services.AddHostedService<RetentionService>();
        return services;
    }

    private static bool IsPostgreSql(IServiceProvider provider) =>
        provider.GetRequiredService<IOptions<FleetStorageOptions>>().Value.IsPostgreSql;
}
