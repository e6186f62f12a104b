using CivicEdge.Fleet.Core.Access;
using CivicEdge.Fleet.Core.Ledger;
using CivicEdge.Fleet.Core.Ledger.Codes;
using CivicEdge.Fleet.Core.Provisioning;
using CivicEdge.Fleet.Core.Security;
using CivicEdge.Fleet.Server.Security;
using CivicEdge.Fleet.Storage.LiteDb.Ledger;
using Microsoft.Extensions.Options;

namespace CivicEdge.Fleet.Server.Ledger;

/// <summary>What the ledger, provisioning and the broker's security add to the fleet's composition.</summary>
internal static class LedgerComposition
{
    /// <summary>Reads each option the ledger adds, so that start-up checks them with the fleet's own.</summary>
    public static IEnumerable<Action<IServiceProvider>> OptionReads { get; } =
    [
        services => _ = services.GetRequiredService<IOptions<LedgerOptions>>().Value,
        services => _ = services.GetRequiredService<IOptions<LiteDbLedgerStoreOptions>>().Value,
        services => _ = services.GetRequiredService<IOptions<SecurityOptions>>().Value,
        services => _ = services.GetRequiredService<IOptions<BrokerSecurityOptions>>().Value,
    ];

    public static WebApplicationBuilder AddLedger(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        var ledgerValidator = new LedgerOptionsValidator();
        var securityValidator = new SecurityOptionsValidator();
        services.AddOptions<LedgerOptions>().BindConfiguration(LedgerOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<LedgerOptions>>(ledgerValidator);
        services.AddOptions<SecurityOptions>().BindConfiguration(SecurityOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<SecurityOptions>>(securityValidator);
        services.AddOptions<BrokerSecurityOptions>().BindConfiguration(BrokerOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<BrokerSecurityOptions>>(securityValidator);

        // The ledger's file sits beside the telemetry store unless Fleet:Ledger:Path names another.
        var configuredPath = builder.Configuration[$"{LedgerOptions.Section}:Path"];
        services.AddOptions<LiteDbLedgerStoreOptions>()
            .BindConfiguration(LedgerOptions.Section)
            .PostConfigure<IOptions<FleetStorageOptions>>((ledger, store) =>
            {
                if (string.IsNullOrWhiteSpace(configuredPath))
                    ledger.Path = Path.ChangeExtension(Path.GetFullPath(store.Value.Path), null) + ".ledger.db";
            });

        services.AddSingleton(provider => provider.GetRequiredService<IOptions<LedgerOptions>>().Value);
        services.AddSingleton(provider => provider.GetRequiredService<IOptions<SecurityOptions>>().Value);
        services.AddSingleton(provider => provider.GetRequiredService<IOptions<LiteDbLedgerStoreOptions>>().Value);
        services.AddSingleton(provider => DeviceCodeSchemes.From(provider.GetRequiredService<LedgerOptions>()));
        services.AddSingleton<IDeviceTenancy, LedgerTenancy>();
        services.AddSingleton<FleetSecurityFiles>();
        services.AddSingleton<IDeviceCertificateAuthority>(provider => provider.GetRequiredService<FleetSecurityFiles>());
        services.AddSingleton<BrokerCounters>();
        services.AddSingleton<BrokerSessions>();
        services.AddSingleton<IDeviceSessions>(provider => provider.GetRequiredService<BrokerSessions>());
        services.AddSingleton<DeviceCredentials>();
        services.AddSingleton<DeviceLedger>();
        services.AddSingleton<DeviceProvisioning>();
        services.AddSingleton<DeviceTopicAuthorizer>();
        services.AddSingleton<BrokerGuard>();
        services.AddSingleton<IngestConnection>();
        return builder;
    }

    public static WebApplication MapLedger(this WebApplication app)
    {
        app.MapLedgerEndpoints();
        app.MapProvisioningEndpoints();
        app.MapCredentialEndpoints();
        app.MapBrokerEndpoints();
        return app;
    }
}
